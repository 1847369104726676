"""Running the review a trigger asks for, and remembering its verdict.

- ``verdict``: the answer format the reviewer is asked for, and its strict
  parser (an answer that cannot be parsed is an error, never a pass);
- ``reviewers``: a command that reads the prompt on stdin, the Anthropic
  API and an OpenAI-compatible API (the SDKs are the ``review`` extra,
  imported only here);
- ``ledger``: finished reviews under the git directory, keyed by the
  change's patch id and the configuration's hash;
- ``costlog``: the design's cost log (``cost_log:``) and its monthly sums;
- ``run``: the ``review``, ``reviews`` and ``cost`` commands.
"""
