"""GitHub glue. Needs the optional extra ``review-trigger[github]``.

Import ``review_trigger.github.comments`` only where a comment is wanted:
it imports PyGithub, which the rest of the package must not need.
"""
