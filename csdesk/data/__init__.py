"""Data layer: tables, migrations, event log, reducer and the store gateway.

Never imports textual. Screens reach it only through :mod:`csdesk.data.store`,
handed to them by the app; the light result types live in :mod:`csdesk.data.api`.
"""
