"""xref's terminal side: the Textual app, the ``xref`` command line and bookmarks."""
