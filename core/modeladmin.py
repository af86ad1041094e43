"""Shared wagtail-modeladmin pieces for every app's admin views."""

from wagtail_modeladmin.views import IndexView


class MenuLabelIndexView(IndexView):
    """An index page titled like its menu item (not the model's plural name), so staff
    land on the heading they clicked."""

    def get_page_title(self):
        return self.model_admin.get_menu_label()
