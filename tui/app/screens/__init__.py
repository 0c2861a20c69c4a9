"""Screens: the main one with its three panes, the bookmarks list and dialog, help and pickers."""
