"""Views, one module per audience: `programme` (public programme pages and open data),
`voter` (the quiz and its results), `editor` (admin pages beyond the ModelAdmins)."""
