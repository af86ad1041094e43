# The sitemap index and robots.txt are in mintkit/sitemaps.py (routed in mintkit/urls.py).
app_name = "home"

urlpatterns = []
