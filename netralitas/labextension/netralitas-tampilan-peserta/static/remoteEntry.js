// A prebuilt JupyterLab extension written by hand (no build step): a module
// federation container that shares nothing and needs nothing from the page.
//
// Why: a learner who opens a module sees only the reading text until someone
// finds Run > "Menjalakan Semua Sel" (the menu is not translated and the
// language pack misspells the item). Learner notebooks are the ones whose code
// cells are all hidden; those run by themselves as soon as their kernel is
// ready. Any other notebook (an instructor's, a scratch one) is left alone.
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
  var STYLE = '.netralitas-peserta .jp-CodeCell .jp-Cell-inputWrapper { display: none; }';

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
