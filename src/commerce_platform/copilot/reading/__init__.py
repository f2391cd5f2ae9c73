"""The steps that read a question into a QueryForm, one module per capability (mixins of parser._State)."""
