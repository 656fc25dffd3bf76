"""The speed benchmark: `grade` side by side with nbgrader on a tiny assignment, pass-only hw9
notebooks against bare framework imports, and one against two local Ray workers."""
