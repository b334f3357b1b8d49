"""Every state change is one function here: validate, lock, write, audit, publish after commit."""
