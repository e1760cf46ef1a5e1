// A prebuilt JupyterLab extension written by hand (no build step): a module
// federation container that shares nothing and needs nothing from the page.
//
// Why: a learner who opens a module sees only the reading text until someone
// finds Run > "Menjalakan Semua Sel" (the menu is not translated and the
// language pack misspells the item). Learner notebooks are the ones whose code
// cells are all hidden; those run by themselves as soon as their kernel is
// ready. Any other notebook (an instructor's, a scratch one) is left alone.
// When the kernel of a learner notebook dies, the page says so in Bahasa
// Indonesia, reconnects and shows the saved answers again.
(function () {
  'use strict';
  var NAME = 'netralitas-tampilan-peserta';

  function isLearnerNotebook(model) {
    var code = 0;
    for (var i = 0; i < model.cells.length; i++) {
      var cell = model.cells.get(i);
      if (cell.type !== 'code') continue;
      code++;
      var jupyter = cell.getMetadata('jupyter');
      if (!jupyter || !jupyter.source_hidden) return false;
    }
    return code > 0;
  }

  var NARROW_PX = 760;
  var STYLE = '.netralitas-peserta .jp-CodeCell .jp-Cell-inputWrapper { display: none; }' +
    '.netralitas-sambungan { position: absolute; top: 0; left: 0; right: 0; z-index: 20; padding: 10px 16px;' +
    ' font-size: 15px; line-height: 1.4; border-bottom: 2px solid #8a5300; background: #fff3cd; color: #3d2a00; }' +
    '.netralitas-sambungan[data-keadaan="pulih"] { border-color: #1a7f37; background: #e8f5ec; color: #0d3d1c; }' +
    '.netralitas-sambungan[hidden] { display: none; }';

  // What a learner reads when the kernel behind the answer buttons is gone:
  // without it, clicks look normal but save nothing.
  var MESSAGES = {
    putus: 'Sambungan ke notebook terputus. Pilihan yang Anda klik saat ini belum tersimpan. ' +
           'Sedang menyambungkan kembali, mohon tunggu sebentar ...',
    jaringan: 'Sambungan ke server terputus (periksa jaringan). Sedang mencoba menyambungkan kembali ...',
    memuat: 'Tersambung kembali. Soal dan jawaban yang sudah tersimpan sedang ditampilkan ulang ...',
    pulih: 'Sambungan pulih. Jawaban yang sudah tersimpan tampil kembali; silakan lanjutkan.',
    gagal: 'Notebook tidak dapat disambungkan kembali. Tutup tab ini lalu buka lagi notebook-nya, ' +
           'atau hubungi fasilitator. Jawaban yang sudah tersimpan tidak hilang.'
  };

  function banner(widget, state) {
    var el = widget.node.querySelector(':scope > .netralitas-sambungan');
    if (!el) {
      el = document.createElement('div');
      el.className = 'netralitas-sambungan';
      el.setAttribute('role', 'alert');
      widget.node.appendChild(el);
    }
    if (el._hide) { clearTimeout(el._hide); el._hide = null; }
    if (!state) { el.hidden = true; return; }
    el.hidden = false;
    el.dataset.keadaan = state;
    el.textContent = MESSAGES[state];
    if (state === 'pulih') el._hide = setTimeout(function () { el.hidden = true; }, 10000);
  }

  function runAll(app, widget) {
    var notebook = widget.content;
    var scroller = notebook.outerNode || notebook.node;
    var index = notebook.activeCellIndex, top = scroller.scrollTop;
    widget.node.dataset.netralitasAutorun = 'started';
    return app.commands.execute('notebook:run-all-cells', { widgetId: widget.id, activate: false })
      .then(function () {
        // "Run All" leaves the view at the last cell; a learner who just
        // opened the module should stay where they were (the top).
        notebook.activeCellIndex = index;
        notebook.deselectAll();
        scroller.scrollTop = top;
        // Answers are saved by the widgets themselves (modules/.progres,
        // jawaban.json); the outputs of this run are not the learner's
        // work, so closing the tab need not ask "Simpan hasil kerjamu?".
        widget.context.model.dirty = false;
        widget.node.dataset.netralitasAutorun = 'done';
      });
  }

  // JupyterLab's own "Kernel Restarting ... appears to have died" dialog (in
  // English, over the answer buttons): our banner says it in Indonesian, so
  // close that dialog, found by the notebook's path in its label.
  function closeKernelDialog(widget) {
    var tries = 0;
    var timer = setInterval(function () {
      var dialogs = document.querySelectorAll('.jp-Dialog');
      for (var i = 0; i < dialogs.length; i++) {
        var label = dialogs[i].getAttribute('aria-label') || dialogs[i].textContent || '';
        if (label.indexOf(widget.context.path) < 0) continue;
        var button = dialogs[i].querySelector('.jp-Dialog-button.jp-mod-accept') ||
          dialogs[i].querySelector('.jp-Dialog-button');
        if (button) button.click();
      }
      if (++tries >= 50) clearInterval(timer);
    }, 100);
  }

  // A kernel that died (or was restarted) took the answer widgets with it:
  // say so, get a kernel back, and run the notebook again, which shows every
  // saved answer again from the answer record.
  function keepConnected(app, widget) {
    var session = widget.sessionContext;
    var lost = false;
    session.statusChanged.connect(function (_, status) {
      if (widget.isDisposed) return;
      if (status === 'dead' || status === 'restarting' || status === 'autorestarting') {
        if (!lost) {
          lost = true;
          widget.node.dataset.netralitasKernel = 'putus';
          banner(widget, 'putus');
        }
        closeKernelDialog(widget);
        if (status === 'dead') {
          session.restartKernel().catch(function () { banner(widget, 'gagal'); });
        }
      } else if (lost && status === 'idle') {
        lost = false;
        banner(widget, 'memuat');
        runAll(app, widget)
          .then(function () {
            widget.node.dataset.netralitasKernel = 'pulih';
            banner(widget, 'pulih');
          })
          .catch(function () { banner(widget, 'gagal'); });
      }
    });
    session.connectionStatusChanged.connect(function (_, status) {
      if (widget.isDisposed || lost) return;
      if (status === 'disconnected' || status === 'connecting') banner(widget, 'jaringan');
      else if (status === 'connected') banner(widget, null);
    });
  }

  var plugin = {
    id: NAME + ':plugin',
    description: 'Jalankan otomatis notebook peserta saat dibuka.',
    autoStart: true,
    activate: function (app) {
      var style = document.createElement('style');
      style.id = NAME + '-style';
      style.textContent = STYLE;
      document.head.appendChild(style);
      var seen = new WeakSet();
      function watch(widget) {
        if (!widget || seen.has(widget) || !widget.context || !widget.sessionContext || !widget.content
            || !widget.content.model || !widget.content.model.cells) return;
        seen.add(widget);
        widget.context.ready
          .then(function () {
            if (!isLearnerNotebook(widget.content.model)) return false;
            // The collapsed code cells show a "# label ●●●" line that opens
            // the code when clicked: learners see only text and widgets.
            widget.node.classList.add('netralitas-peserta');
            // On a phone the side panels leave the notebook a few pixels wide:
            // give the whole screen to the module.
            if (window.innerWidth < NARROW_PX) {
              if (app.shell.collapseLeft) app.shell.collapseLeft();
              if (app.shell.collapseRight) app.shell.collapseRight();
            }
            return widget.sessionContext.ready.then(function () { return true; });
          })
          .then(function (learner) {
            if (!learner || widget.isDisposed || !widget.sessionContext.session) return;
            keepConnected(app, widget);
            return runAll(app, widget);
          })
          .catch(function (err) { console.warn(NAME, err); });
      }
      app.restored.then(function () {
        var factory = app.docRegistry.getWidgetFactory('Notebook');
        if (factory) factory.widgetCreated.connect(function (_, widget) { watch(widget); });
        var it = app.shell.widgets('main');
        for (var w = it.next(); w && !w.done && w.value !== undefined; w = it.next()) watch(w.value);
      });
    }
  };

  var container = {
    init: function () { return Promise.resolve(); },
    get: function (module) {
      if (module !== './extension') return Promise.reject(new Error(NAME + ': no module ' + module));
      return Promise.resolve(function () { return { __esModule: true, default: plugin }; });
    }
  };
  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[NAME] = container;
})();
