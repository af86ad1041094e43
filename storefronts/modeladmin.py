"""wagtail-modeladmin views for this app's models (not registered here).

``home/wagtail_hooks.py`` gathers every app's ``MODELADMINS`` into the "MintKit" admin menu.
"""

MODELADMINS: list = []
