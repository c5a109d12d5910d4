"""make explorer: the page, built from a quick run's models, in a real browser.

Headless Chromium from Debian's packages, driven by Selenium
(tools/browser.py), opens the page from its file as a person would and
uses it with the keyboard, the mouse and a drawn digit. What it shows is
checked against Keras, run here on the same models: the encoder's and the
decoder's outputs, the digit drawn under the crosshair, the drawing's
Gaussian on the plane, the samples z = mu + sigma * eps, the
interpolation's ends and the stored reconstructions. Under CI a missing
browser fails these tests (.ci/run installs it); elsewhere they skip,
saying how to install it.
"""
import json
import os

import numpy as np
import pytest

from lab.explorer.__main__ import MODELS, READY, main as build_explorer
from lab.reproduce.runs import load_autoencoder, load_runs

# The page's arithmetic is its own JavaScript, whatever line built it:
# Chromium drives it on one line (make test's graded one).
pytestmark = pytest.mark.once

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
    """Return a headless Chromium, its viewport 1280x800, the page ready."""
    window = chromium(1280, 800)
    window.viewport(1280, 800)
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


def test_decode_is_the_decoders_predict_to_a_grey_level(
        browser, keras_models):
    decoder = keras_models['3-main'].layers[2]
    center = browser.script('return explorer.toLatent([explorer.size / 2, '
                            'explorer.size / 2])')
    z = np.random.default_rng(0).normal(size=(20, 2)) * 2 + center
    found = np.array([browser.script('return explorer.decode(arguments[0])',
                                     point.tolist()) for point in z])
    expected = decoder.predict(z.astype('float32'), verbose=0)
    assert np.abs(found - expected).max() <= 1 / 255


def test_encode_is_the_encoders_predict(browser, keras_models):
    """The page's encoder, from float16 kernels, gives Keras's Gaussian."""
    from tools import mnist
    encoder = keras_models['3-main'].layers[1]
    with np.load(mnist.cache_path()) as data:
        digits = data['x_test'][:5].reshape(5, 784).astype('float32') / 255.
    noise = np.random.default_rng(1).random((3, 784)).astype('float32')
    for pixels in np.concatenate([digits, noise]):
        found = browser.script('return explorer.encode(arguments[0])',
                               pixels.tolist())
        _, mean, log_var = encoder.predict(pixels[None], verbose=0)
        assert np.abs(np.array(found['mean']) - mean[0]).max() <= 1e-3
        assert np.abs(np.array(found['logVar']) - log_var[0]).max() <= 1e-3


def test_arrow_keys_move_the_crosshair_and_redraw_the_digit(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    plane = browser.driver.find_element(By.ID, 'plane')
    before = browser.script('return explorer.state.z.slice()')
    span = browser.script('return explorer.toLatent([explorer.size, 0])[0] '
                          '- explorer.toLatent([0, 0])[0]')
    plane.send_keys(Keys.ARROW_RIGHT)
    after = browser.script('return explorer.state.z.slice()')
    assert after[0] - before[0] == pytest.approx(0.01 * span)
    plane.send_keys(Keys.SHIFT, Keys.ARROW_UP)
    moved = browser.script('return explorer.state.z.slice()')
    assert moved[1] - after[1] == pytest.approx(0.1 * span)
    expect_shown(greys(browser, 'decoded', 0, 0, 5),
                 browser.script('return explorer.decode(explorer.state.z)'))


def test_the_mouse_redraws_the_digit_under_it(browser):
    from selenium.webdriver.common.action_chains import ActionChains
    plane = plane_in_view(browser)
    ActionChains(browser.driver).move_to_element_with_offset(
        plane, 60, -90).perform()
    z = browser.script('return explorer.state.z.slice()')
    # The offset is from the canvas's centre, in its own pixels (it is
    # shown at its size): the point under the mouse, to the pixel.
    centre = browser.script('return explorer.size') / 2
    assert browser.script('return explorer.toScreen(arguments[0])', z) == \
        pytest.approx([centre + 60, centre - 90], abs=1)
    expect_shown(greys(browser, 'decoded', 0, 0, 5),
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
    centre = browser.script('return explorer.size') / 2
    ActionChains(browser.driver).move_to_element_with_offset(
        plane, int(round(point[0] - centre)), int(round(point[1] - centre))) \
        .click().perform()


ISOLATED = '''
    const [count, room, size] = [arguments[0], arguments[1], explorer.size];
    const points = [], found = [];
    for (let i = 0; i < explorer.state.stored; i++)
      points.push(explorer.toScreen(explorer.mean(i)));
    for (let i = points.length - 1; i >= 0 && found.length < count; i--) {
      const [x, y] = points[i];
      if (x > room && y > room && x < size - room && y < size - room &&
          points.every(([u, v], j) => j === i || Math.hypot(u - x, v - y)
                       > room)) found.push(i);
    }
    return found;'''


def isolated_digits(browser, count=2, room=6):
    """Return test digits with no other mean within room pixels, last first.

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
    # The page shows test digits in 16 greys.
    expected = {'original': np.round(x.reshape(784) * 15) / 15}
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
        expect_shown(greys(browser, None, 0, 0, 3,
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
    for _ in range(12):
        ActionChains(browser.driver).send_keys(Keys.TAB).perform()
        reached.append(browser.script('return document.activeElement.id'))
    assert reached == ['plane', 'grid', 'clear', 'resample', 'digit-index',
                       'show-digit', 'from-index', 'to-index', 'interpolate',
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


def box(browser, element_id):
    """Return an element's box in the viewport: left, top, right, bottom."""
    found = browser.script('const box = document.getElementById(arguments[0])'
                           '.getBoundingClientRect(); return [box.left, '
                           'box.top, box.right, box.bottom]', element_id)
    return found


def test_the_plane_and_its_digit_fill_the_first_screen(browser):
    browser.script('window.scrollTo(0, 0)')
    for element in ('plane', 'decoded'):
        left, top, right, bottom = box(browser, element)
        assert left >= 0 and top >= 0 and right <= 1280 and bottom <= 800
    # Scrolled to the last panel, the plane is still in view beside it.
    browser.script('document.getElementById("models-panel")'
                   '.scrollIntoView()')
    try:
        left, top, right, bottom = box(browser, 'plane')
        assert top >= 0 and bottom <= 800
    finally:
        browser.script('window.scrollTo(0, 0)')


def test_the_page_is_usable_at_800_pixels_wide(browser):
    from selenium.webdriver.common.action_chains import ActionChains
    browser.viewport(800, 900)
    try:
        assert browser.script('return document.documentElement.scrollWidth '
                              '<= window.innerWidth')
        plane = plane_in_view(browser)
        ActionChains(browser.driver).move_to_element(plane).perform()
        # The digit stays beside the plane, in view while the pointer is on
        # the plane.
        plane_box, digit = box(browser, 'plane'), box(browser, 'decoded')
        assert digit[0] >= plane_box[2] and digit[2] <= 800
        assert digit[1] >= 0 and digit[3] <= 900
    finally:
        browser.viewport(1280, 800)


def test_one_latent_unit_spans_the_same_pixels_across_and_up(browser):
    origin, across, up = (browser.script(
        'return explorer.toScreen(arguments[0])', z)
        for z in ([0, 0], [1, 0], [0, 1]))
    assert across[0] - origin[0] == pytest.approx(origin[1] - up[1])
    assert across[1] == origin[1] and up[0] == origin[0]


STROKE = [(-40, -50), (30, -55), (35, -10), (-20, 30), (-35, 55), (40, 55)]


def draw(browser, points):
    """Draw one stroke on the pad with the pointer, offsets from its centre."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    pad = browser.driver.find_element(By.ID, 'pad')
    browser.script('arguments[0].scrollIntoView({block: "center"})', pad)
    actions = ActionChains(browser.driver).move_to_element_with_offset(
        pad, *points[0]).click_and_hold()
    for (x, y), (u, v) in zip(points, points[1:]):
        actions.move_by_offset(u - x, v - y)
    actions.release().perform()


def canvas_colour_near(browser, canvas_id, point, colour, reach=2):
    """Tell whether a canvas has colour ('#rrggbb') within reach of point."""
    return browser.script('''
        const [x, y] = arguments[1], reach = arguments[3];
        const want = parseInt(arguments[2].slice(1), 16);
        const data = document.getElementById(arguments[0]).getContext('2d')
          .getImageData(Math.round(x) - reach, Math.round(y) - reach,
                        2 * reach + 1, 2 * reach + 1).data;
        for (let i = 0; i < data.length; i += 4) {
          const found = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
          if (Math.abs((found >> 16) - (want >> 16)) < 40 &&
              Math.abs(((found >> 8) & 255) - ((want >> 8) & 255)) < 40 &&
              Math.abs((found & 255) - (want & 255)) < 40) return true;
        }
        return false;''', canvas_id, point, colour, reach)


def test_a_drawn_digit_is_normalised_encoded_and_placed(
        browser, keras_models):
    from selenium.webdriver.common.by import By
    browser.driver.find_element(By.ID, 'clear').click()
    browser.console()
    draw(browser, STROKE)
    assert [entry for entry in browser.console()
            if entry['level'] in ('SEVERE', 'WARNING')] == []
    pixels = np.array(browser.script('return explorer.state.subject.pixels'))
    image = pixels.reshape(28, 28)
    rows, columns = np.nonzero(image > 0)
    # MNIST's normalisation: within a 20x20 box, centred by mass.
    assert rows.max() - rows.min() < 21 and columns.max() - columns.min() < 21
    assert max(rows.max() - rows.min(), columns.max() - columns.min()) >= 18
    grid = np.indices((28, 28)) + 0.5
    centre = [(grid[axis] * image).sum() / image.sum() for axis in (0, 1)]
    assert centre == pytest.approx([14, 14], abs=0.5)
    expect_shown(greys(browser, 'normalised', 0, 0, 3), pixels)
    # The page's encoder against Keras's, on the same normalised image.
    _, mean, log_var = keras_models['3-main'].layers[1].predict(
        pixels[None].astype('float32'), verbose=0)
    gaussian = browser.script('return explorer.state.subject.gaussian')
    assert np.abs(np.array(gaussian['mean']) - mean[0]).max() <= 1e-3
    assert np.abs(np.array(gaussian['logVar']) - log_var[0]).max() <= 1e-3
    # Its mean and its 1 sigma ellipse, drawn where they belong.
    colour = browser.script('return explorer.marks.drawing')
    sigma = np.exp(np.array(gaussian['logVar']) / 2)
    at = browser.script('return explorer.toScreen(arguments[0])',
                        gaussian['mean'])
    assert canvas_colour_near(browser, 'plane', at, colour)
    for dx, dy in ((sigma[0], 0), (0, sigma[1])):
        edge = browser.script('return explorer.toScreen(arguments[0])',
                              [gaussian['mean'][0] + dx,
                               gaussian['mean'][1] + dy])
        if 0 <= edge[0] < 460 and 0 <= edge[1] < 460:
            assert canvas_colour_near(browser, 'plane', edge, colour)


def test_the_samples_are_decodes_of_mu_plus_sigma_eps(browser, keras_models):
    from selenium.webdriver.common.by import By
    browser.driver.find_element(By.ID, 'resample').click()
    subject = browser.script('return explorer.state.subject')
    eps = np.array(browser.script('return explorer.state.eps'))
    draws = np.array(browser.script('return explorer.state.draws'))
    mean = np.array(subject['gaussian']['mean'])
    sigma = np.exp(np.array(subject['gaussian']['logVar']) / 2)
    np.testing.assert_allclose(draws, mean + sigma * eps, rtol=1e-12)
    expected = keras_models['3-main'].layers[2].predict(
        draws.astype('float32'), verbose=0)
    for number in (0, len(draws) - 1):
        expect_shown(greys(browser, 'draws', number * 56, 0, 2),
                     expected[number])


def test_any_test_digit_is_picked_by_click_or_index(browser):
    from selenium.webdriver.common.by import By
    last = browser.script('return explorer.state.stored') - 1
    field = browser.driver.find_element(By.ID, 'digit-index')
    field.clear()
    field.send_keys(str(last))
    browser.driver.find_element(By.ID, 'show-digit').click()
    subject = browser.script('return explorer.state.subject')
    assert subject['index'] == last
    assert subject['gaussian']['mean'] == pytest.approx(browser.script(
        'return explorer.mean(arguments[0])', last))
    # Out of range: refused where it shows, and the field keeps the index
    # in use.
    field.clear()
    field.send_keys('99999')
    browser.driver.find_element(By.ID, 'show-digit').click()
    message = browser.driver.find_element(By.ID, 'index-message').text
    assert message.startswith('No test digit 99999')
    assert browser.script('return document.getElementById("digit-index")'
                          '.value') == str(last)
    assert browser.script('return explorer.state.subject.index') == last
    # A click picks the nearest of all the test digits, the last included.
    chosen = isolated_digits(browser, count=1)[0]
    click_at(browser, browser.script(
        'return explorer.toScreen(explorer.mean(arguments[0]))', chosen))
    assert browser.script('return explorer.state.subject.index') == chosen


def test_both_codes_are_drawn_on_one_scale(browser):
    captions = browser.script('return Array.from(document.querySelectorAll('
                              '"#codes figcaption"), f => f.textContent)')
    scales = {caption.rsplit('scale: ', 1)[1] for caption in captions}
    assert len(captions) == 2 and len(scales) == 1


def test_the_legend_names_every_mark(browser):
    names = browser.script('return Array.from(document.querySelectorAll('
                           '"#markers li"), item => item.dataset.marker)')
    assert set(browser.script('return Object.keys(explorer.marks)')) <= \
        set(names)


def test_the_page_is_small_and_names_its_runs(page, quick_results, browser):
    assert os.path.getsize(page) < 4 * 10 ** 6
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
