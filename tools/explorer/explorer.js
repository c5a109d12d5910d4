// The latent explorer. Everything it shows comes from the data block in this
// page, written by `make explorer` (tools/explorer/__main__.py): the VAE
// decoder's float32 weights, the test digits' latent means, PNG sprites of
// test digits and of each model's reconstructions, and the runs behind them.
(function () {
  'use strict';
  const DATA = JSON.parse(document.getElementById('data').textContent);
  const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
                   '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  const SIDE = 28, PIXELS = 784, STEPS = 10;

  function bytesOf(base64) {
    const text = atob(base64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }
  function floatsOf(base64) {
    const bytes = bytesOf(base64);
    return new Float32Array(bytes.buffer, 0, bytes.length / 4);
  }

  // The decoder: Dense layers, each kernel stored (inputs, units) as Keras
  // keeps it, computed in float64 from the float32 weights.
  const layers = DATA.decoder.map(function (layer) {
    return {kernel: floatsOf(layer.kernel), bias: floatsOf(layer.bias),
            inputs: layer.inputs, units: layer.units,
            activation: layer.activation};
  });
  function decode(z) {
    let x = Float64Array.from(z);
    for (const layer of layers) {
      const y = Float64Array.from(layer.bias);
      for (let i = 0; i < layer.inputs; i++) {
        const value = x[i];
        if (value === 0) continue;
        const row = i * layer.units;
        for (let j = 0; j < layer.units; j++) y[j] += value * layer.kernel[row + j];
      }
      for (let j = 0; j < layer.units; j++) {
        if (layer.activation === 'relu') y[j] = Math.max(0, y[j]);
        else if (layer.activation === 'sigmoid') y[j] = 1 / (1 + Math.exp(-y[j]));
      }
      x = y;
    }
    return Array.from(x);
  }

  const means = floatsOf(DATA.latent.means);
  const labels = bytesOf(DATA.latent.labels);
  const count = labels.length;
  const [xMin, xMax, yMin, yMax] = DATA.latent.range;
  const plane = document.getElementById('plane');
  const size = plane.width;
  function toScreen(z) {
    return [(z[0] - xMin) / (xMax - xMin) * size,
            (yMax - z[1]) / (yMax - yMin) * size];
  }
  function toLatent(point) {
    return [xMin + point[0] / size * (xMax - xMin),
            yMax - point[1] / size * (yMax - yMin)];
  }
  function meanOf(index) { return [means[2 * index], means[2 * index + 1]]; }

  // Grey 28x28 values (0..1) drawn scaled onto a canvas, one cell per pixel.
  function drawDigit(canvas, values, left, top, cell) {
    const context = canvas.getContext('2d');
    const image = context.createImageData(SIDE, SIDE);
    for (let i = 0; i < PIXELS; i++) {
      const grey = Math.round(Math.min(1, Math.max(0, values[i])) * 255);
      image.data.set([grey, grey, grey, 255], 4 * i);
    }
    const small = document.createElement('canvas');
    small.width = small.height = SIDE;
    small.getContext('2d').putImageData(image, 0, 0);
    context.imageSmoothingEnabled = false;
    context.drawImage(small, left || 0, top || 0, SIDE * (cell || canvas.width / SIDE),
                      SIDE * (cell || canvas.width / SIDE));
  }

  // Sprites: PNG grids of 28x28 greys, read once into arrays of values.
  function loadSprite(sprite) {
    return new Promise(function (resolve, reject) {
      const picture = new Image();
      picture.onload = function () {
        const canvas = document.createElement('canvas');
        canvas.width = picture.width;
        canvas.height = picture.height;
        const context = canvas.getContext('2d');
        context.drawImage(picture, 0, 0);
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
        resolve(function (index) {
          const left = (index % sprite.columns) * SIDE;
          const top = Math.floor(index / sprite.columns) * SIDE;
          const values = new Array(PIXELS);
          for (let row = 0; row < SIDE; row++) {
            for (let column = 0; column < SIDE; column++) {
              values[row * SIDE + column] =
                pixels[4 * ((top + row) * canvas.width + left + column)] / 255;
            }
          }
          return values;
        });
      };
      picture.onerror = reject;
      picture.src = 'data:image/png;base64,' + sprite.png;
    });
  }

  const state = {z: [0, 0], from: 0, to: 1, picking: 'from', digit: 0,
                 samples: [], stored: DATA.images.count, ready: false};

  // 1. The plane: the scatter is drawn once, the crosshair on every move.
  const scatter = document.createElement('canvas');
  scatter.width = scatter.height = size;
  function drawScatter() {
    const context = scatter.getContext('2d');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, size, size);
    context.strokeStyle = '#bbb';
    context.fillStyle = '#555';
    context.font = '11px sans-serif';
    const step = niceStep(xMax - xMin);
    for (let value = Math.ceil(xMin / step) * step; value <= xMax; value += step) {
      const [x] = toScreen([value, 0]);
      context.beginPath(); context.moveTo(x, 0); context.lineTo(x, size); context.stroke();
      context.fillText(value.toFixed(step < 1 ? 1 : 0), x + 2, size - 4);
    }
    for (let value = Math.ceil(yMin / step) * step; value <= yMax; value += step) {
      const [, y] = toScreen([0, value]);
      context.beginPath(); context.moveTo(0, y); context.lineTo(size, y); context.stroke();
      context.fillText(value.toFixed(step < 1 ? 1 : 0), 2, y - 2);
    }
    context.globalAlpha = 0.55;
    for (let i = 0; i < count; i++) {
      const [x, y] = toScreen(meanOf(i));
      context.fillStyle = COLOURS[labels[i]];
      context.fillRect(x - 1, y - 1, 2.4, 2.4);
    }
    context.globalAlpha = 1;
    context.fillStyle = '#333';
    context.fillText('z[0] →', size - 44, size - 16);
    context.fillText('↑ z[1]', 4, 12);
  }
  function niceStep(span) {
    const raw = span / 8, power = Math.pow(10, Math.floor(Math.log10(raw)));
    return [1, 2, 5, 10].map(function (m) { return m * power; })
      .find(function (m) { return m >= raw; });
  }
  function marker(context, index, colour) {
    const [x, y] = toScreen(meanOf(index));
    context.strokeStyle = colour;
    context.lineWidth = 2;
    context.beginPath(); context.arc(x, y, 7, 0, 2 * Math.PI); context.stroke();
  }
  function drawPlane() {
    const context = plane.getContext('2d');
    context.drawImage(scatter, 0, 0);
    marker(context, state.from, '#000');
    marker(context, state.to, '#000');
    marker(context, DATA.models.digits[state.digit], '#d00');
    const [x, y] = toScreen(state.z);
    context.strokeStyle = '#000';
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(x - 12, y); context.lineTo(x + 12, y);
    context.moveTo(x, y - 12); context.lineTo(x, y + 12);
    context.stroke();
  }
  const decoded = document.getElementById('decoded');
  function show(z) {
    state.z = z;
    state.shown = decode(z);
    drawDigit(decoded, state.shown);
    drawPlane();
    document.getElementById('z-readout').textContent =
      'z = (' + z[0].toFixed(2) + ', ' + z[1].toFixed(2) + ')';
  }
  // The canvas's own pixels under the mouse: inside its border, scaled.
  function pointer(event) {
    const box = plane.getBoundingClientRect();
    return [(event.clientX - box.left - plane.clientLeft) * size / plane.clientWidth,
            (event.clientY - box.top - plane.clientTop) * size / plane.clientHeight];
  }
  function nearest(z, indices) {
    let best = indices[0], distance = Infinity;
    for (const index of indices) {
      const mean = meanOf(index);
      const d = (mean[0] - z[0]) ** 2 + (mean[1] - z[1]) ** 2;
      if (d < distance) { best = index; distance = d; }
    }
    return best;
  }
  const stored = Array.from({length: DATA.images.count}, function (_, i) { return i; });
  function pick(z) {
    const index = nearest(z, stored);
    state[state.picking] = index;
    document.getElementById(state.picking + '-index').value = index;
    state.picking = state.picking === 'from' ? 'to' : 'from';
    const fixed = DATA.models.digits;
    state.digit = fixed.indexOf(nearest(z, fixed));
    document.getElementById('digit-choice').value = state.digit;
    interpolate();
    showModels();
  }
  plane.addEventListener('mousemove', function (event) { show(toLatent(pointer(event))); });
  plane.addEventListener('click', function (event) {
    const z = toLatent(pointer(event));
    show(z);
    pick(z);
  });
  plane.addEventListener('keydown', function (event) {
    const step = (event.shiftKey ? 0.1 : 0.01) * (xMax - xMin);
    const moves = {ArrowLeft: [-step, 0], ArrowRight: [step, 0],
                   ArrowUp: [0, step], ArrowDown: [0, -step]};
    if (moves[event.key]) {
      show([state.z[0] + moves[event.key][0], state.z[1] + moves[event.key][1]]);
      event.preventDefault();
    } else if (event.key === 'Enter' || event.key === ' ') {
      pick(state.z);
      event.preventDefault();
    }
  });

  // 2. Interpolation, in latent space and in pixels.
  let image = null, reconstruction = null;
  function interpolate() {
    const limit = DATA.images.count - 1;
    const from = Math.min(limit, Math.max(0, parseInt(document.getElementById('from-index').value, 10) || 0));
    const to = Math.min(limit, Math.max(0, parseInt(document.getElementById('to-index').value, 10) || 0));
    state.from = from;
    state.to = to;
    const latent = document.getElementById('latent-strip');
    const pixels = document.getElementById('pixel-strip');
    const a = meanOf(from), b = meanOf(to), first = image(from), last = image(to);
    state.strip = [];
    for (let step = 0; step < STEPS; step++) {
      const t = step / (STEPS - 1);
      const values = decode([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
      state.strip.push(values);
      drawDigit(latent, values, step * 56, 0, 2);
      drawDigit(pixels, first.map(function (v, i) { return (1 - t) * v + t * last[i]; }),
                step * 56, 0, 2);
    }
    drawPlane();
  }
  document.getElementById('interpolate').addEventListener('click', interpolate);

  // 3. Sampling from the prior.
  function normal() {
    let u = 0;
    while (u === 0) u = Math.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
  }
  function sample() {
    const canvas = document.getElementById('samples');
    state.samples = [];
    for (let i = 0; i < 64; i++) {
      const z = [normal(), normal()];
      state.samples.push(z);
      drawDigit(canvas, decode(z), (i % 8) * 56, Math.floor(i / 8) * 56, 2);
    }
  }
  document.getElementById('sample').addEventListener('click', sample);

  // 4. Every model on one digit.
  const codes = {};
  for (const name of Object.keys(DATA.models.codes)) codes[name] = floatsOf(DATA.models.codes[name]);
  function showModels() {
    const number = state.digit;
    const index = DATA.models.digits[number];
    const panel = document.getElementById('reconstructions');
    panel.textContent = '';
    const pictures = [['original', image(index), null]].concat(
      DATA.models.names.map(function (name, m) {
        return [name, reconstruction(number, m), DATA.models.bce[number][m]];
      }));
    for (const [name, values, bce] of pictures) {
      const figure = document.createElement('figure');
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 112;
      canvas.dataset.model = name;
      drawDigit(canvas, values);
      const caption = document.createElement('figcaption');
      caption.textContent = bce === null ? 'test digit ' + index + ' (a ' + labels[index] + ')'
        : name + ': BCE ' + bce.toFixed(3);
      figure.append(canvas, caption);
      panel.append(figure);
    }
    const bars = document.getElementById('codes');
    bars.textContent = '';
    for (const name of Object.keys(codes)) {
      const units = codes[name].slice(number * 32, number * 32 + 32);
      const top = Math.max.apply(null, Array.from(units).concat([1e-6]));
      const canvas = document.createElement('canvas');
      canvas.width = 320;
      canvas.height = 100;
      const context = canvas.getContext('2d');
      context.fillStyle = '#2f6fdf';
      units.forEach(function (value, unit) {
        const height = value / top * 90;
        context.fillRect(unit * 10 + 1, 100 - height, 8, height);
      });
      const off = Array.from(units).filter(function (v) { return v < DATA.near_zero; }).length;
      const figure = document.createElement('figure');
      const caption = document.createElement('figcaption');
      caption.textContent = name + ' code: ' + off + ' of 32 units below ' + DATA.near_zero +
        ', largest ' + top.toFixed(2);
      figure.append(canvas, caption);
      bars.append(figure);
    }
    drawPlane();
  }
  const choice = document.getElementById('digit-choice');
  DATA.models.digits.forEach(function (index, number) {
    const option = document.createElement('option');
    option.value = number;
    option.textContent = '#' + index + ' (a ' + labels[index] + ')';
    choice.append(option);
  });
  choice.addEventListener('change', function () { state.digit = parseInt(choice.value, 10); showModels(); });
  document.getElementById('another').addEventListener('click', function () {
    state.digit = (state.digit + 1 + Math.floor(Math.random() * (DATA.models.digits.length - 1))) %
      DATA.models.digits.length;
    choice.value = state.digit;
    showModels();
  });

  // What made the page.
  function footer() {
    const rows = DATA.runs.map(function (run) {
      return '<tr><td>' + run.name + '</td><td>' + run.model + '</td><td>TensorFlow ' +
        run.tensorflow + ', Keras ' + run.keras + '</td><td>' + run.epochs +
        ' epochs</td><td>loss ' + run.loss.toPrecision(4) + ', val_loss ' +
        run.val_loss.toPrecision(4) + '</td><td>' + (run.cpu || '') + ' (' +
        (run.isa || '') + '), ' + (run.date || '').slice(0, 10) + '</td></tr>';
    }).join('');
    document.getElementById('footer').innerHTML =
      '<p>Made by <code>' + DATA.build.command + '</code> on ' + DATA.build.date +
      ' from the models of these runs (<code>' + DATA.build.runs + '</code>):</p>' +
      '<table>' + rows + '</table><p>To rebuild it: <code>make reproduce</code>, then ' +
      '<code>make explorer</code>. The decoder runs in this page from its float32 weights ' +
      '(Dense relu, Dense sigmoid); the reconstructions were computed by Keras and stored.</p>';
  }

  function benchmark(decodes, moves) {
    let start = performance.now();
    for (let i = 0; i < decodes; i++) decode([Math.sin(i), Math.cos(i)]);
    const perSecond = decodes / ((performance.now() - start) / 1000);
    const box = plane.getBoundingClientRect();
    const times = [];
    for (let i = 0; i < moves; i++) {
      start = performance.now();
      plane.dispatchEvent(new MouseEvent('mousemove', {
        clientX: box.left + (i * 37) % box.width, clientY: box.top + (i * 53) % box.height}));
      times.push(performance.now() - start);
    }
    times.sort(function (a, b) { return a - b; });
    return {decodes_per_second: perSecond, redraw_ms_median: times[Math.floor(times.length / 2)],
            redraw_ms_max: times[times.length - 1]};
  }

  document.getElementById('count').textContent = count.toLocaleString('en');
  for (const id of ['from-index', 'to-index']) {
    document.getElementById(id).max = DATA.images.count - 1;
  }
  document.getElementById('stored').textContent = DATA.images.count.toLocaleString('en');
  document.getElementById('classes').innerHTML = COLOURS.map(function (colour, digit) {
    return '<li><span style="background:' + colour + '"></span>' + digit + '</li>';
  }).join('');
  window.explorer = {decode: decode, state: state, toScreen: toScreen, toLatent: toLatent,
                     mean: meanOf, benchmark: benchmark};
  Promise.all([loadSprite(DATA.images), loadSprite(DATA.models.sprite)])
    .then(function (readers) {
      image = readers[0];
      const recon = readers[1];
      reconstruction = function (number, model) {
        return recon(number * DATA.models.names.length + model);
      };
      window.explorer.image = image;
      window.explorer.reconstruction = reconstruction;
      drawScatter();
      footer();
      show([(xMin + xMax) / 2, (yMin + yMax) / 2]);
      interpolate();
      sample();
      showModels();
      state.ready = true;
    });
})();
