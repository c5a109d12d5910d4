// The latent explorer. Everything it shows comes from the data block in this
// page, written by `make explorer` (lab/explorer/__main__.py): the VAE's
// encoder and decoder weights, the test digits' latent means and log
// variances, PNG sprites of the test digits and of each model's
// reconstructions, and the runs behind them.
(function () {
  'use strict';
  const DATA = JSON.parse(document.getElementById('data').textContent);
  const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
                   '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  const SIDE = 28, PIXELS = 784, STEPS = 10, DRAWS = 8;
  // What the plane marks, in colours of their own (the legend lists them).
  const MARK = {drawing: '#7b1fa2', ends: '#444444',
                panel: '#d00000', prior: '#9a9a9a', sample: '#2e7d32'};

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
  // IEEE half floats, as NumPy's float16 stores them.
  function halvesOf(base64) {
    const bytes = bytesOf(base64);
    const halves = new Uint16Array(bytes.buffer, 0, bytes.length / 2);
    const values = new Float32Array(halves.length);
    for (let i = 0; i < halves.length; i++) {
      const h = halves[i], sign = h & 0x8000 ? -1 : 1;
      const exponent = (h >> 10) & 0x1f, fraction = h & 0x3ff;
      values[i] = exponent === 0 ? sign * Math.pow(2, -14) * (fraction / 1024)
        : exponent === 31 ? (fraction ? NaN : sign * Infinity)
          : sign * Math.pow(2, exponent - 15) * (1 + fraction / 1024);
    }
    return values;
  }
  function layerOf(layer) {
    return {kernel: layer.dtype === 'float16' ? halvesOf(layer.kernel) : floatsOf(layer.kernel),
            bias: floatsOf(layer.bias), inputs: layer.inputs, units: layer.units,
            activation: layer.activation};
  }

  // Dense layers, each kernel stored (inputs, units) as Keras keeps it,
  // computed in float64.
  function dense(layer, x) {
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
    return y;
  }
  const decoderLayers = DATA.decoder.map(layerOf);
  const encoderLayers = {hidden: DATA.encoder.hidden.map(layerOf),
                         mean: layerOf(DATA.encoder.mean),
                         logVar: layerOf(DATA.encoder.log_var)};
  function decode(z) {
    let x = Float64Array.from(z);
    for (const layer of decoderLayers) x = dense(layer, x);
    return Array.from(x);
  }
  // The encoder: the hidden layers, then the mean and the log variance,
  // each read off the last hidden layer.
  function encode(pixels) {
    let x = Float64Array.from(pixels);
    for (const layer of encoderLayers.hidden) x = dense(layer, x);
    return {mean: Array.from(dense(encoderLayers.mean, x)),
            logVar: Array.from(dense(encoderLayers.logVar, x))};
  }

  const means = floatsOf(DATA.latent.means);
  const logVars = floatsOf(DATA.latent.log_vars);
  const labels = bytesOf(DATA.latent.labels);
  const count = labels.length;
  const [centreX, centreY, half] = DATA.latent.square;
  const plane = document.getElementById('plane');
  const size = plane.width;
  // One latent unit spans the same pixels across and up.
  const scale = size / (2 * half);
  function toScreen(z) {
    return [size / 2 + (z[0] - centreX) * scale, size / 2 - (z[1] - centreY) * scale];
  }
  function toLatent(point) {
    return [centreX + (point[0] - size / 2) / scale, centreY - (point[1] - size / 2) / scale];
  }
  function meanOf(index) { return [means[2 * index], means[2 * index + 1]]; }
  function gaussianOf(index) {
    return {mean: meanOf(index), logVar: [logVars[2 * index], logVars[2 * index + 1]]};
  }

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
    const width = SIDE * (cell || canvas.width / SIDE);
    context.drawImage(small, left || 0, top || 0, width, width);
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
                 samples: [], stored: DATA.images.count, subject: null,
                 eps: [], draws: [], grid: false, ready: false};

  // 1. The plane: the scatter is drawn once, the rest on every change.
  const scatter = document.createElement('canvas');
  scatter.width = scatter.height = size;
  function niceStep(span) {
    const raw = span / 8, power = Math.pow(10, Math.floor(Math.log10(raw)));
    return [1, 2, 5, 10].map(function (m) { return m * power; })
      .find(function (m) { return m >= raw; });
  }
  function ellipse(context, centre, radii, colour, width, dash) {
    const [x, y] = toScreen(centre);
    context.strokeStyle = colour;
    context.lineWidth = width;
    context.setLineDash(dash || []);
    context.beginPath();
    context.ellipse(x, y, Math.max(radii[0] * scale, 0.5), Math.max(radii[1] * scale, 0.5),
                    0, 0, 2 * Math.PI);
    context.stroke();
    context.setLineDash([]);
  }
  function drawScatter() {
    const context = scatter.getContext('2d');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, size, size);
    context.strokeStyle = '#e2e2e2';
    context.lineWidth = 1;
    context.fillStyle = '#555';
    context.font = '11px sans-serif';
    const step = niceStep(2 * half);
    const left = toLatent([0, 0])[0], right = toLatent([size, 0])[0];
    for (let value = Math.ceil(left / step) * step; value <= right; value += step) {
      const [x] = toScreen([value, 0]);
      context.beginPath(); context.moveTo(x, 0); context.lineTo(x, size); context.stroke();
      context.fillText(value.toFixed(step < 1 ? 1 : 0), x + 2, size - 4);
    }
    const bottom = toLatent([0, size])[1], top = toLatent([0, 0])[1];
    for (let value = Math.ceil(bottom / step) * step; value <= top; value += step) {
      const [, y] = toScreen([0, value]);
      context.beginPath(); context.moveTo(0, y); context.lineTo(size, y); context.stroke();
      context.fillText(value.toFixed(step < 1 ? 1 : 0), 2, y - 2);
    }
    context.globalAlpha = 0.5;
    for (let i = 0; i < count; i++) {
      const [x, y] = toScreen(meanOf(i));
      context.fillStyle = COLOURS[labels[i]];
      context.fillRect(x - 1, y - 1, 2, 2);
    }
    context.globalAlpha = 1;
    ellipse(context, [0, 0], [1, 1], MARK.prior, 1.5, [5, 4]);
    ellipse(context, [0, 0], [2, 2], MARK.prior, 1.5, [5, 4]);
    context.fillStyle = '#333';
    context.fillText('z[0] →', size - 44, size - 16);
    context.fillText('↑ z[1]', 4, 12);
  }
  let gridImage = null;
  function drawGrid() {
    // keras.io's view of a VAE: decodes on a regular grid over the plane.
    gridImage = document.createElement('canvas');
    gridImage.width = gridImage.height = size;
    const cells = 20, cell = size / cells;
    for (let row = 0; row < cells; row++) {
      for (let column = 0; column < cells; column++) {
        const z = toLatent([(column + 0.5) * cell, (row + 0.5) * cell]);
        drawDigit(gridImage, decode(z), column * cell, row * cell, cell / SIDE);
      }
    }
  }
  function cross(context, point, colour, arm) {
    const [x, y] = toScreen(point);
    context.strokeStyle = colour;
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(x - arm, y - arm); context.lineTo(x + arm, y + arm);
    context.moveTo(x - arm, y + arm); context.lineTo(x + arm, y - arm);
    context.stroke();
  }
  function ring(context, point, colour) {
    const [x, y] = toScreen(point);
    context.strokeStyle = colour;
    context.lineWidth = 2;
    context.beginPath(); context.arc(x, y, 7, 0, 2 * Math.PI); context.stroke();
  }
  function drawPlane() {
    const context = plane.getContext('2d');
    context.drawImage(state.grid && gridImage ? gridImage : scatter, 0, 0);
    const a = toScreen(meanOf(state.from)), b = toScreen(meanOf(state.to));
    context.strokeStyle = MARK.ends;
    context.lineWidth = 1.5;
    context.beginPath(); context.moveTo(a[0], a[1]); context.lineTo(b[0], b[1]); context.stroke();
    ring(context, meanOf(state.from), MARK.ends);
    ring(context, meanOf(state.to), MARK.ends);
    ring(context, meanOf(DATA.models.digits[state.digit]), MARK.panel);
    for (const z of state.samples) cross(context, z, MARK.prior, 2.5);
    if (state.subject) {
      const {mean, logVar} = state.subject.gaussian;
      const sigma = [Math.exp(logVar[0] / 2), Math.exp(logVar[1] / 2)];
      for (const z of state.draws) cross(context, z, MARK.sample, 3);
      ellipse(context, mean, sigma, MARK.drawing, 2);
      ellipse(context, mean, [2 * sigma[0], 2 * sigma[1]], MARK.drawing, 1.5, [4, 3]);
      const [x, y] = toScreen(mean);
      context.fillStyle = MARK.drawing;
      context.beginPath(); context.arc(x, y, 4, 0, 2 * Math.PI); context.fill();
    }
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
  // The canvas's own pixels under the pointer: inside its border, scaled.
  function pointer(canvas, event) {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left - canvas.clientLeft) * canvas.width / canvas.clientWidth,
            (event.clientY - box.top - canvas.clientTop) * canvas.height / canvas.clientHeight];
  }
  function nearest(z) {
    let best = 0, distance = Infinity;
    for (let index = 0; index < count; index++) {
      const d = (means[2 * index] - z[0]) ** 2 + (means[2 * index + 1] - z[1]) ** 2;
      if (d < distance) { best = index; distance = d; }
    }
    return best;
  }
  function pick(z) {
    const index = nearest(z);
    state[state.picking] = index;
    document.getElementById(state.picking + '-index').value = index;
    state.picking = state.picking === 'from' ? 'to' : 'from';
    showTestDigit(index);
    interpolate();
  }
  plane.addEventListener('mousemove', function (event) { show(toLatent(pointer(plane, event))); });
  plane.addEventListener('click', function (event) {
    const z = toLatent(pointer(plane, event));
    show(z);
    pick(z);
  });
  plane.addEventListener('keydown', function (event) {
    const step = (event.shiftKey ? 0.1 : 0.01) * 2 * half;
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
  document.getElementById('grid').addEventListener('change', function (event) {
    state.grid = event.target.checked;
    if (state.grid && !gridImage) drawGrid();
    drawPlane();
  });

  // 2. The encoder, on a drawing or a test digit.
  const pad = document.getElementById('pad');
  const ink = document.createElement('canvas');   // the strokes, 10x MNIST's size
  ink.width = ink.height = 280;
  // Read back at every stroke: a context kept for reading.
  const inkContext = ink.getContext('2d', {willReadFrequently: true});
  const BRUSH = 22;   // about two MNIST pixels, as its pen strokes were
  let stroke = null;
  function clearInk() {
    const context = inkContext;
    context.fillStyle = '#000';
    context.fillRect(0, 0, ink.width, ink.height);
    pad.getContext('2d').drawImage(ink, 0, 0, pad.width, pad.height);
  }
  function line(from, to) {
    const context = inkContext;
    context.strokeStyle = '#fff';
    context.lineWidth = BRUSH;
    context.lineCap = context.lineJoin = 'round';
    context.beginPath(); context.moveTo(from[0], from[1]); context.lineTo(to[0], to[1]);
    context.stroke();
    pad.getContext('2d').drawImage(ink, 0, 0, pad.width, pad.height);
  }
  function inkPoint(event) {
    const [x, y] = pointer(pad, event);
    return [x * ink.width / pad.width, y * ink.height / pad.height];
  }
  pad.addEventListener('pointerdown', function (event) {
    pad.setPointerCapture(event.pointerId);
    stroke = inkPoint(event);
    line(stroke, stroke);
    event.preventDefault();
  });
  pad.addEventListener('pointermove', function (event) {
    if (!stroke) return;
    const point = inkPoint(event);
    line(stroke, point);
    stroke = point;
    encodeDrawing();
  });
  function endStroke() {
    if (!stroke) return;
    stroke = null;
    encodeDrawing();
  }
  pad.addEventListener('pointerup', endStroke);
  pad.addEventListener('pointercancel', endStroke);

  // MNIST's normalisation: the digit's box scaled to fit 20x20 (keeping
  // its shape, anti-aliased), then placed in 28x28 with its centre of mass
  // at the centre.
  function normalised() {
    const data = inkContext.getImageData(0, 0, ink.width, ink.height).data;
    let left = ink.width, right = -1, top = ink.height, bottom = -1;
    for (let y = 0; y < ink.height; y++) {
      for (let x = 0; x < ink.width; x++) {
        if (data[4 * (y * ink.width + x)] > 0) {
          left = Math.min(left, x); right = Math.max(right, x);
          top = Math.min(top, y); bottom = Math.max(bottom, y);
        }
      }
    }
    const values = new Array(PIXELS).fill(0);
    if (right < 0) return values;
    const width = right - left + 1, height = bottom - top + 1;
    const fit = 20 / Math.max(width, height);
    const box = document.createElement('canvas');
    box.width = box.height = 20;
    const boxContext = box.getContext('2d', {willReadFrequently: true});
    boxContext.imageSmoothingEnabled = true;
    boxContext.imageSmoothingQuality = 'high';
    boxContext.drawImage(ink, left, top, width, height,
                         (20 - width * fit) / 2, (20 - height * fit) / 2, width * fit, height * fit);
    const small = boxContext.getImageData(0, 0, 20, 20).data;
    let mass = 0, rowMass = 0, columnMass = 0;
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 20; x++) {
        const value = small[4 * (y * 20 + x)] / 255;
        mass += value; rowMass += value * y; columnMass += value * x;
      }
    }
    const shiftY = Math.round(14 - (rowMass / mass + 0.5));
    const shiftX = Math.round(14 - (columnMass / mass + 0.5));
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 20; x++) {
        const row = y + shiftY, column = x + shiftX;
        if (row >= 0 && row < SIDE && column >= 0 && column < SIDE) {
          values[row * SIDE + column] = small[4 * (y * 20 + x)] / 255;
        }
      }
    }
    return values;
  }
  function normal() {
    let u = 0;
    while (u === 0) u = Math.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
  }
  function resample() {
    state.eps = Array.from({length: DRAWS}, function () { return [normal(), normal()]; });
    showSubject();
  }
  function showSubject() {
    const subject = state.subject;
    if (!subject) return;
    const {mean, logVar} = subject.gaussian;
    const sigma = [Math.exp(logVar[0] / 2), Math.exp(logVar[1] / 2)];
    drawDigit(document.getElementById('normalised'), subject.pixels);
    drawDigit(document.getElementById('mean-decode'), decode(mean));
    const draws = document.getElementById('draws');
    state.draws = state.eps.map(function (eps) {
      return [mean[0] + sigma[0] * eps[0], mean[1] + sigma[1] * eps[1]];
    });
    state.draws.forEach(function (z, i) { drawDigit(draws, decode(z), i * 56, 0, 2); });
    document.getElementById('gaussian').textContent = subject.name + ': μ = (' +
      mean[0].toFixed(2) + ', ' + mean[1].toFixed(2) + '), σ = (' + sigma[0].toFixed(2) +
      ', ' + sigma[1].toFixed(2) + '); below, decodes of z = μ + σ·ε for ' + DRAWS +
      ' draws of ε.';
    drawPlane();
  }
  function encodeDrawing() {
    const pixels = normalised();
    state.subject = {name: 'your drawing', pixels: pixels, gaussian: encode(pixels)};
    showSubject();
  }
  function showTestDigit(index) {
    // A test digit's Gaussian is the one Keras's encoder gave it when the
    // page was made; its picture here has GREY_LEVELS greys.
    document.getElementById('digit-index').value = index;
    state.subject = {name: 'test digit ' + index + ' (a ' + labels[index] + ')',
                     index: index, pixels: image(index), gaussian: gaussianOf(index)};
    showSubject();
  }
  const digitIndex = document.getElementById('digit-index');
  digitIndex.max = count - 1;
  function chooseDigit() {
    const message = document.getElementById('index-message');
    const asked = Number(digitIndex.value);
    if (!Number.isInteger(asked) || asked < 0 || asked >= count) {
      message.textContent = 'No test digit ' + digitIndex.value + ': give 0 to ' +
        (count - 1) + '.';
      digitIndex.value = state.subject && state.subject.index !== undefined
        ? state.subject.index : 0;
      return;
    }
    message.textContent = '';
    showTestDigit(asked);
  }
  document.getElementById('show-digit').addEventListener('click', chooseDigit);
  digitIndex.addEventListener('keydown', function (event) {
    if (event.key === 'Enter') chooseDigit();
  });
  document.getElementById('clear').addEventListener('click', function () {
    clearInk();
    state.subject = null;
    state.draws = [];
    for (const id of ['normalised', 'mean-decode', 'draws']) {
      const canvas = document.getElementById(id);
      canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
    }
    document.getElementById('gaussian').textContent = '';
    drawPlane();
  });
  document.getElementById('resample').addEventListener('click', resample);

  // 3. Interpolation, in latent space and in pixels.
  let image = null, reconstruction = null;
  function indexIn(id) {
    const field = document.getElementById(id);
    const asked = Math.min(count - 1, Math.max(0, parseInt(field.value, 10) || 0));
    field.value = asked;   // the field shows the index used
    return asked;
  }
  function interpolate() {
    state.from = indexIn('from-index');
    state.to = indexIn('to-index');
    const latent = document.getElementById('latent-strip');
    const pixels = document.getElementById('pixel-strip');
    const a = meanOf(state.from), b = meanOf(state.to);
    const first = image(state.from), last = image(state.to);
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

  // 4. Sampling from the prior.
  function sample() {
    const canvas = document.getElementById('samples');
    state.samples = [];
    for (let i = 0; i < 64; i++) {
      const z = [normal(), normal()];
      state.samples.push(z);
      drawDigit(canvas, decode(z), (i % 8) * 56, Math.floor(i / 8) * 56, 2);
    }
    drawPlane();
  }
  document.getElementById('sample').addEventListener('click', sample);

  // 5. Every model on one digit.
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
      canvas.width = canvas.height = 84;
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
    // One scale for both codes: the largest unit of either, over all digits.
    const top = DATA.models.code_scale;
    for (const name of Object.keys(codes)) {
      const units = Array.from(codes[name].slice(number * 32, number * 32 + 32));
      const canvas = document.createElement('canvas');
      canvas.width = 320;
      canvas.height = 100;
      canvas.dataset.code = name;
      const context = canvas.getContext('2d');
      context.fillStyle = '#2f6fdf';
      units.forEach(function (value, unit) {
        const height = value / top * 90;
        context.fillRect(unit * 10 + 1, 100 - height, 8, height);
      });
      const off = units.filter(function (v) { return v < DATA.near_zero; }).length;
      const figure = document.createElement('figure');
      const caption = document.createElement('figcaption');
      caption.textContent = name + ' code: ' + off + ' of 32 units below ' + DATA.near_zero +
        ', largest ' + Math.max.apply(null, units).toFixed(2) + ' (scale: ' + top.toFixed(2) + ')';
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

  // The legend: every mark on the plane, drawn as the plane draws it.
  function legend() {
    const items = [
      ['prior', 'N(0, I): circles at 1 and 2 standard deviations', function (c) {
        c.strokeStyle = MARK.prior; c.setLineDash([3, 2]); c.lineWidth = 1.5;
        c.beginPath(); c.arc(8, 8, 6, 0, 2 * Math.PI); c.stroke(); }],
      ['drawing', 'μ of your drawing (or test digit), its 1σ and 2σ ellipses', function (c) {
        c.fillStyle = MARK.drawing; c.beginPath(); c.arc(8, 8, 3, 0, 2 * Math.PI); c.fill();
        c.strokeStyle = MARK.drawing; c.lineWidth = 2;
        c.beginPath(); c.ellipse(8, 8, 7, 5, 0, 0, 2 * Math.PI); c.stroke(); }],
      ['sample', 'z = μ + σ·ε, decoded in panel 2', function (c) {
        c.strokeStyle = MARK.sample; c.lineWidth = 1.5; c.beginPath();
        c.moveTo(5, 5); c.lineTo(11, 11); c.moveTo(5, 11); c.lineTo(11, 5); c.stroke(); }],
      ['ends', 'the interpolation: its two ends and its line (panel 3)', function (c) {
        c.strokeStyle = MARK.ends; c.lineWidth = 2; c.beginPath(); c.arc(8, 8, 5, 0, 2 * Math.PI);
        c.stroke(); }],
      ['prior-draws', 'draws of z ~ N(0, I) (panel 4)', function (c) {
        c.strokeStyle = MARK.prior; c.lineWidth = 1.5; c.beginPath();
        c.moveTo(6, 6); c.lineTo(10, 10); c.moveTo(6, 10); c.lineTo(10, 6); c.stroke(); }],
      ['panel', 'the digit of panel 5', function (c) {
        c.strokeStyle = MARK.panel; c.lineWidth = 2; c.beginPath(); c.arc(8, 8, 5, 0, 2 * Math.PI);
        c.stroke(); }],
      ['crosshair', 'the crosshair: the z decoded beside the plane', function (c) {
        c.strokeStyle = '#000'; c.lineWidth = 1; c.beginPath();
        c.moveTo(2, 8); c.lineTo(14, 8); c.moveTo(8, 2); c.lineTo(8, 14); c.stroke(); }]];
    const list = document.getElementById('markers');
    for (const [name, text, paint] of items) {
      const item = document.createElement('li');
      item.dataset.marker = name;
      const icon = document.createElement('canvas');
      icon.width = icon.height = 16;
      paint(icon.getContext('2d'));
      item.append(icon, text);
      list.append(item);
    }
  }

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
      '<code>make explorer</code>. The encoder and the decoder run in this page from their ' +
      'weights (the large kernels in float16); the test digits\' Gaussians and the ' +
      'reconstructions were computed by Keras and stored, and the test digits are shown in ' +
      DATA.images.levels + ' greys.</p>';
  }

  function benchmark(decodes, moves) {
    let start = performance.now();
    for (let i = 0; i < decodes; i++) decode([Math.sin(i), Math.cos(i)]);
    const perSecond = decodes / ((performance.now() - start) / 1000);
    const probe = new Array(PIXELS).fill(0).map(function (_, i) { return (i % 7) / 7; });
    start = performance.now();
    for (let i = 0; i < decodes / 10; i++) encode(probe);
    const encodesPerSecond = decodes / 10 / ((performance.now() - start) / 1000);
    const box = plane.getBoundingClientRect();
    const times = [];
    for (let i = 0; i < moves; i++) {
      start = performance.now();
      plane.dispatchEvent(new MouseEvent('mousemove', {
        clientX: box.left + (i * 37) % box.width, clientY: box.top + (i * 53) % box.height}));
      times.push(performance.now() - start);
    }
    // A stroke on the pad: from the pointer's move to μ, the ellipses and
    // the samples redrawn.
    const padBox = pad.getBoundingClientRect(), strokes = [];
    pad.dispatchEvent(new PointerEvent('pointerdown', {clientX: padBox.left + 60,
      clientY: padBox.top + 40, pointerId: 1}));
    for (let i = 0; i < moves / 10; i++) {
      start = performance.now();
      pad.dispatchEvent(new PointerEvent('pointermove', {pointerId: 1,
        clientX: padBox.left + 60 + (i * 7) % 80, clientY: padBox.top + 40 + (i * 11) % 120}));
      strokes.push(performance.now() - start);
    }
    pad.dispatchEvent(new PointerEvent('pointerup', {pointerId: 1}));
    function median(values) {
      values.sort(function (a, b) { return a - b; });
      return values[Math.floor(values.length / 2)];
    }
    return {decodes_per_second: perSecond, encodes_per_second: encodesPerSecond,
            redraw_ms_median: median(times), redraw_ms_max: times[times.length - 1],
            stroke_ms_median: median(strokes), stroke_ms_max: strokes[strokes.length - 1]};
  }

  document.getElementById('count').textContent = count.toLocaleString('en');
  for (const id of ['from-index', 'to-index']) document.getElementById(id).max = count - 1;
  document.getElementById('classes').innerHTML = COLOURS.map(function (colour, digit) {
    return '<li><span style="background:' + colour + '"></span>' + digit + '</li>';
  }).join('');
  window.explorer = {decode: decode, encode: encode, state: state, toScreen: toScreen,
                     toLatent: toLatent, mean: meanOf, gaussian: gaussianOf, scale: scale,
                     size: size, normalised: normalised, marks: MARK, benchmark: benchmark};
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
      legend();
      footer();
      clearInk();
      show([centreX, centreY]);
      interpolate();
      sample();
      showModels();
      // The encoder's panel starts on a test digit, until you draw one.
      state.eps = Array.from({length: DRAWS}, function () { return [normal(), normal()]; });
      showTestDigit(state.from);
      state.ready = true;
    });
})();
