"""What leaves the package: static pages, slide decks, PDF handouts, data tables, and how."""
