def as_id(value) -> int:
    """A primary key from untrusted input; 0 (matches nothing) when it is not one."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**63 else 0
