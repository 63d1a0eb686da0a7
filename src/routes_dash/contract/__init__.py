"""The data contract: allowed values, columns and limits, and reading files against them."""
