"""srm-tui: review your side of the AWS Shared Responsibility Model."""

__version__ = "0.1.0"
