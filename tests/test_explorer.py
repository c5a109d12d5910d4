"""make explorer: the page, built from a quick run's models, in a real browser.

Headless Chromium from Debian's packages, driven by Selenium
(tools/explorer/browser.py), opens the page from its file as a person would
and uses it with the keyboard and the mouse. What it shows is checked
against Keras, run here on the same models: the decoder's outputs, the
digit drawn under the crosshair, the interpolation's ends and the stored
reconstructions. Under CI a missing browser fails these tests (.ci/run
installs it); elsewhere they skip, saying how to install it.
"""
import json
import os

import numpy as np
import pytest

from tools.explorer.__main__ import (MODELS, READY,
                                     main as build_explorer)
from tools.reproduce.runs import load_autoencoder, load_runs

SIDE = 28


@pytest.fixture(scope='module')
def page(quick_results, tmp_path_factory):
    """Return the path of a page built from the quick run's models."""
    path = str(tmp_path_factory.mktemp('explorer') / 'index.html')
    assert build_explorer(['--quick', '--results', quick_results,
                           '--out', path]) == 0
    return path


@pytest.fixture(scope='module')
def browser(page, chromium):
    """Return a headless Chromium with the page open and ready."""
    window = chromium(1280, 800)
    window.open(page, READY)
    yield window
    window.close()


@pytest.fixture(scope='module')
def keras_models(quick_results):
    """Return the quick run's autoencoders, by run name."""
    return {name: load_autoencoder(quick_results, name)
            for name, _ in MODELS}


def greys(browser, canvas_id, left, top, cell, selector=None):
    """Return the 28x28 digit a canvas shows at (left, top), as 0..255."""
    return np.array(browser.script('''
        const canvas = arguments[4] ? document.querySelector(arguments[4])
                                    : document.getElementById(arguments[0]);
        const [left, top, cell] = [arguments[1], arguments[2], arguments[3]];
        const data = canvas.getContext('2d').getImageData(
            left, top, 28 * cell, 28 * cell).data;
        const width = 28 * cell, values = [];
        for (let row = 0; row < 28; row++)
          for (let column = 0; column < 28; column++)
            values.push(data[4 * ((row * cell + Math.floor(cell / 2)) * width
                                  + column * cell + Math.floor(cell / 2))]);
        return values;''', canvas_id, left, top, cell, selector))


def expect_shown(shown, values):
    """The canvas shows values in [0, 1] to one grey level."""
    assert np.abs(shown - np.round(np.asarray(values) * 255)).max() <= 1


def test_the_page_loads_with_no_error_and_no_request(browser, page):
    assert [entry for entry in browser.console()
            if entry['level'] in ('SEVERE', 'WARNING')] == []
    requested = browser.requests(page)
    assert requested[0] == 'file://' + os.path.abspath(page)
    # Its sprites are data: URLs inside it: nothing else is asked for.
    assert all(url.startswith('data:image/png;base64,')
               for url in requested[1:])
    assert browser.failed_requests() == []


def test_decode_is_the_decoders_predict(browser, keras_models):
    decoder = keras_models['3-main'].layers[2]
    center = browser.script('return explorer.toLatent([280, 280])')
    z = np.random.default_rng(0).normal(size=(20, 2)) * 2 + center
    found = np.array([browser.script('return explorer.decode(arguments[0])',
                                     point.tolist()) for point in z])
    expected = decoder.predict(z.astype('float32'), verbose=0)
    np.testing.assert_allclose(found, expected, atol=1e-4)


def test_arrow_keys_move_the_crosshair_and_redraw_the_digit(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    plane = browser.driver.find_element(By.ID, 'plane')
    before = browser.script('return explorer.state.z.slice()')
    span = browser.script('return explorer.toLatent([560, 0])[0] '
                          '- explorer.toLatent([0, 0])[0]')
    plane.send_keys(Keys.ARROW_RIGHT)
    after = browser.script('return explorer.state.z.slice()')
    assert after[0] - before[0] == pytest.approx(0.01 * span)
    plane.send_keys(Keys.SHIFT, Keys.ARROW_UP)
    moved = browser.script('return explorer.state.z.slice()')
    assert moved[1] - after[1] == pytest.approx(0.1 * span)
    expect_shown(greys(browser, 'decoded', 0, 0, 10),
                 browser.script('return explorer.decode(explorer.state.z)'))


def test_the_mouse_redraws_the_digit_under_it(browser):
    from selenium.webdriver.common.action_chains import ActionChains
    plane = plane_in_view(browser)
    ActionChains(browser.driver).move_to_element_with_offset(
        plane, 60, -90).perform()
    z = browser.script('return explorer.state.z.slice()')
    # The offset is from the canvas's centre, in its 560 px: the point
    # under the mouse is (340, 190), to the pixel.
    assert browser.script('return explorer.toScreen(arguments[0])', z) == \
        pytest.approx([340, 190], abs=1)
    expect_shown(greys(browser, 'decoded', 0, 0, 10),
                 browser.script('return explorer.decode(arguments[0])', z))


def plane_in_view(browser):
    """Return the plane, scrolled whole into view.

    The mouse's offsets count from the centre of the part in view.
    """
    from selenium.webdriver.common.by import By
    plane = browser.driver.find_element(By.ID, 'plane')
    browser.script('arguments[0].scrollIntoView({block: "center"})', plane)
    return plane


def click_at(browser, point):
    """Click the plane at a point given in its own pixels."""
    from selenium.webdriver.common.action_chains import ActionChains
    plane = plane_in_view(browser)
    ActionChains(browser.driver).move_to_element_with_offset(
        plane, int(round(point[0] - 280)), int(round(point[1] - 280))) \
        .click().perform()


ISOLATED = '''
    const [count, room] = [arguments[0], arguments[1]];
    const points = [], found = [];
    for (let i = 0; i < explorer.state.stored; i++)
      points.push(explorer.toScreen(explorer.mean(i)));
    points.forEach(function ([x, y], i) {
      if (found.length < count && x > room && y > room && x < 560 - room
          && y < 560 - room && points.every(([u, v], j) =>
            j === i || Math.hypot(u - x, v - y) > room)) found.push(i);
    });
    return found;'''


def isolated_digits(browser, count=2, room=6):
    """Return stored digits with no other stored mean within room pixels.

    A click lands on whole CSS pixels, so it may miss a mean by one.
    """
    return browser.script(ISOLATED, count, room)


def test_clicking_two_digits_interpolates_between_their_means(browser):
    chosen = isolated_digits(browser)
    assert len(chosen) == 2
    for index in chosen:
        click_at(browser, browser.script(
            'return explorer.toScreen(explorer.mean(arguments[0]))', index))
    picked = browser.script('return [explorer.state.from, explorer.state.to]')
    assert picked == chosen
    for step, index in ((0, picked[0]), (9, picked[1])):
        expect_shown(greys(browser, 'latent-strip', step * 56, 0, 2),
                     browser.script('return explorer.decode(explorer.mean('
                                    'arguments[0]))', index))
    # The pixel strip's ends are the two images themselves.
    expect_shown(greys(browser, 'pixel-strip', 0, 0, 2),
                 browser.script('return explorer.image(arguments[0])',
                                picked[0]))


def test_the_models_panel_shows_each_models_reconstruction(browser,
                                                           keras_models):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    from tools import mnist
    Select(browser.driver.find_element(By.ID, 'digit-choice')) \
        .select_by_value('5')
    index = browser.script('return explorer.state.digit')
    assert index == 5
    test_index = json.loads(browser.script(
        'return document.getElementById("data").textContent'))[
        'models']['digits'][5]
    with np.load(mnist.cache_path()) as data:
        x = data['x_test'][test_index].astype('float32') / 255.
    expected = {'original': x.reshape(784)}
    for name, label in MODELS:
        auto = keras_models[name]
        if name == '2-main':
            expected[label] = auto.predict(x.reshape(1, 28, 28, 1),
                                           verbose=0).reshape(784)
        elif name == '3-main':
            _, mean, _ = auto.layers[1].predict(x.reshape(1, 784), verbose=0)
            expected[label] = auto.layers[2].predict(mean,
                                                     verbose=0).reshape(784)
        else:
            expected[label] = auto.predict(x.reshape(1, 784),
                                           verbose=0).reshape(784)
    for label, values in expected.items():
        expect_shown(greys(browser, None, 0, 0, 4,
                           '#reconstructions canvas[data-model="{}"]'.format(
                               label)), values)


def test_sampling_draws_new_digits_from_the_prior(browser):
    from selenium.webdriver.common.by import By
    before = browser.script('return explorer.state.samples.slice()')
    browser.driver.find_element(By.ID, 'sample').click()
    samples = browser.script('return explorer.state.samples')
    assert len(samples) == 64 and samples != before
    expect_shown(greys(browser, 'samples', 56, 0, 2),
                 browser.script('return explorer.decode(arguments[0])',
                                samples[1]))


def test_every_control_is_reached_by_tab_and_works_with_the_keyboard(
        browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.common.by import By
    # A click on the title starts Tab's walk from the page's top, as a
    # person's would.
    browser.driver.find_element(By.TAG_NAME, 'h1').click()
    reached = []
    for _ in range(7):
        ActionChains(browser.driver).send_keys(Keys.TAB).perform()
        reached.append(browser.script('return document.activeElement.id'))
    assert reached == ['plane', 'from-index', 'to-index', 'interpolate',
                       'sample', 'digit-choice', 'another']
    digit = browser.script('return explorer.state.digit')
    ActionChains(browser.driver).send_keys(Keys.SPACE).perform()   # another
    assert browser.script('return explorer.state.digit') != digit
    samples = browser.script('return explorer.state.samples.slice()')
    ActionChains(browser.driver).key_down(Keys.SHIFT).send_keys(
        Keys.TAB, Keys.TAB).key_up(Keys.SHIFT).perform()
    assert browser.script('return document.activeElement.id') == 'sample'
    ActionChains(browser.driver).send_keys(Keys.ENTER).perform()
    assert browser.script('return explorer.state.samples') != samples


def test_the_page_is_usable_at_800_pixels_wide(browser):
    browser.driver.set_window_size(800, 800)
    try:
        assert browser.script('return document.documentElement.scrollWidth '
                              '<= window.innerWidth')
        assert browser.script('return document.getElementById("plane")'
                              '.getBoundingClientRect().width') <= 800
    finally:
        browser.driver.set_window_size(1280, 800)


def test_the_page_is_small_and_names_its_runs(page, quick_results, browser):
    assert os.path.getsize(page) < 3 * 10 ** 6
    footer = browser.script('return document.getElementById("footer")'
                            '.textContent')
    runs = load_runs(os.path.join(quick_results, 'runs.json'))
    for name, _ in MODELS:
        # As JavaScript's toPrecision(4) writes them.
        assert '{}{}TensorFlow {}'.format(
            name, dict(MODELS)[name], runs[name]['tensorflow']) in footer
        assert 'val_loss {:#.4g}'.format(runs[name]['val_loss']) in footer
    # Beside the page, its record of those runs.
    with open(os.path.join(os.path.dirname(page), 'runs.json')) as stream:
        record = json.load(stream)
    assert sorted(record) == [name for name, _ in MODELS]
    assert all(record[name]['val_loss'] == runs[name]['val_loss']
               for name in record)
