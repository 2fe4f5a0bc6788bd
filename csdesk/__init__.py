"""csdesk: a terminal workstation for the customer-service desk of a financial firm."""

__version__ = "0.1.0"
