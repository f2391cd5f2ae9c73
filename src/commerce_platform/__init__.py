"""Commerce platform: five AI services of a Nordic wholesale/retail company."""

__version__ = "0.1.0"
