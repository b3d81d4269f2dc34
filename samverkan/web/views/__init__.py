"""The web app's views: thin functions behind the access helpers in `samverkan.web.access`."""
