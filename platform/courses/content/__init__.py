"""A course's own content: its git repository of exercise bundles, pulled, checked, previewed and published."""
