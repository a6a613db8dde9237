"""The `vasini` command."""
