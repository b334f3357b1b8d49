"""The voting actions. Importing the package imports the elections' steps, which register the motion
kinds they carry out with `motions.register_motion_kinds`."""

from daihoi.voting.actions import elections  # noqa: F401
