"""Assessment renderers shared by the CLI and the service: plain text (Rich) and Markdown."""
