"""Keeping the customer after the deal (客户维护): what is due, to whom, and when."""
