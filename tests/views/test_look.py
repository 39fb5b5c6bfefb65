"""The artwork and the pieces of the look that a test can read: emblems, the picker, candles."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tributes.models import Emblem

pytestmark = pytest.mark.django_db

EMBLEMS = Path(settings.BASE_DIR) / "static" / "img" / "emblems"


@pytest.mark.parametrize("emblem", [choice for choice in Emblem.values if choice])
def test_every_emblem_is_titled_artwork_that_scales(emblem):
    svg = (EMBLEMS / f"{emblem}.svg").read_text()
    assert 'viewBox="0 0 64 64"' in svg
    assert f'<title id="t">{Emblem(emblem).label}</title>' in svg
    # Drawn with fills and outlines, not a single flat shape.
    assert len(re.findall(r"<(?:path|circle|ellipse|rect)\b", svg)) >= 3


def test_the_emblem_picker_is_a_fieldset_with_a_legend_and_a_radio_for_each(client, memorial):
    page = client.get(memorial.get_absolute_url()).text
    picker = page[page.index('id="div_id_emblem"') :]
    picker = picker[: picker.index("</fieldset>")]
    assert "<fieldset>" in picker and "<legend" in picker
    for value in Emblem.values:
        assert re.search(rf'<input type="radio"[^>]*name="emblem" value="{value}"', picker)


def test_site_css_styles_each_emblem_tile_with_its_artwork():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    for value in Emblem.values:
        if value:
            assert (
                f'input[value="{value}"] + label::before {{ background-image: url("../img/emblems/{value}.svg")'
                in css
            )
