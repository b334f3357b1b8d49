"""Draft documents, the comments on them, and their synthesis (issue 11).

The grouping and counting rules live in the pure engine `daihoi.synthesis`; this app stores drafts,
comments and the working synthesis, and lets the secretariat edit it through one action per change.
"""
