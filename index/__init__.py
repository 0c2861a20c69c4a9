"""xref's library: reading a corpus, finding entities, the Whoosh index and search.

Nothing here imports Textual or the ``tui`` package; the command line and the app are thin
layers over these modules, so the engine can be tested and benchmarked without a terminal.
"""
