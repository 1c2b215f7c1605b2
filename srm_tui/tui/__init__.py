"""The wizard: a Textual application over the same domain as the command line."""
