"""One module per screen. Screens reach data only through the store gateway of the desk."""
