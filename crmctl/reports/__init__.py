"""What the listing, showing and analysis commands display, as plain data for any output format."""
