"""What a person does in JupyterLab, as Playwright steps (shared by the journeys)."""
from __future__ import annotations

import re
import time

# Visible code: a code cell's input (editor, or the collapsed "# label ..."
# line) or any editor content, inside the notebook on screen (JupyterLab) or
# anywhere on the page (Voilà, which has no notebook panel).
_VISIBLE_CODE_JS = """() => {
  const shown = e => e.checkVisibility() && e.getBoundingClientRect().height > 0;
  const panels = [...document.querySelectorAll('.jp-NotebookPanel')].filter(shown);
  const roots = panels.length ? panels : [document.body];
  const out = [];
  for (const p of roots) {
    for (const e of p.querySelectorAll('.jp-CodeCell .jp-Cell-inputWrapper, .jp-CodeCell .jp-InputArea, '
                                       + '.jp-InputPlaceholder, .jp-InputArea-editor, .cm-content'))
      if (shown(e)) out.push(e.innerText.slice(0, 80));
  }
  return out;
}"""


def open_lab(page, lab, path: str = "/lab/tree/modules") -> None:
    page.goto(lab.url(path, reset=""))
    page.locator(".jp-DirListing-item").first.wait_for()


def open_in_file_browser(page, name: str) -> None:
    """Double-click a file in the file browser, as a learner does."""
    page.locator(".jp-DirListing-item", has_text=name).first.dblclick()


def current_notebook(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first


def wait_learner_notebook_ready(page, timeout: float = 60_000) -> float:
    """Seconds until the first answer widget of the open notebook can be
    clicked, then wait until the automatic run has finished."""
    start = time.monotonic()
    nb = current_notebook(page)
    nb.locator(".netralitas-pilihan input, .netralitas-cek button").first.wait_for(state="visible", timeout=timeout)
    ready = time.monotonic() - start
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden)')]"
        ".some(p => p.dataset.netralitasAutorun === 'done')", timeout=timeout)
    return ready


def visible_code(page) -> list[str]:
    return page.evaluate(_VISIBLE_CODE_JS)


def scroll_all_cells(page) -> None:
    """Walk the notebook from top to bottom (renders every lazily drawn cell)."""
    scroller = current_notebook(page).locator(".jp-WindowedPanel-outer")
    height = scroller.evaluate("e => e.scrollHeight")
    for top in range(0, height + 600, 600):
        scroller.evaluate(f"e => e.scrollTop = {top}")
        page.wait_for_timeout(30)
    scroller.evaluate("e => e.scrollTop = 0")


def menu_items(page, menu: str) -> list[str]:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(menu)}$")).click()
    items = [t.split("\t")[0] for t in page.locator(".lm-Menu-content .lm-Menu-itemLabel").all_inner_texts()]
    page.keyboard.press("Escape")
    return [t for t in items if t]


def close_current_tab(page):
    """Close the active main-area tab with its × and return the dialog's
    buttons if JupyterLab asks something (None when it closes at once)."""
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon").click()
    dialog = page.locator(".jp-Dialog")
    try:
        dialog.wait_for(timeout=2_000)
    except Exception:
        return None
    return dialog


def output_with(page, selector: str, text: str):
    """The output area of the open notebook that holds `selector` with `text`."""
    return current_notebook(page).locator(".jp-OutputArea-output").filter(
        has=page.locator(selector, has_text=text))


def horizontal_overflow(page, selector: str) -> list[dict]:
    """Elements matching selector that are wider than their scroll container or the viewport."""
    return page.evaluate("""(sel) => {
      const vw = document.documentElement.clientWidth;
      return [...document.querySelectorAll(sel)].filter(e => e.checkVisibility()).map(e => {
        const r = e.getBoundingClientRect();
        return {cls: e.className, right: Math.round(r.right), vw, sw: e.scrollWidth, cw: e.clientWidth};
      }).filter(x => x.right > x.vw + 1 || x.sw > x.cw + 1);
    }""", selector)


def unlabelled_controls(page) -> list[str]:
    """Visible form controls with no visible text naming them (label, own text, aria-label).
    textContent, not innerText: cells scrolled out of view are not laid out."""
    return page.evaluate("""() => {
      const shown = e => e && e.checkVisibility() && e.getBoundingClientRect().height > 0;
      const named = e => {
        if (e.getAttribute('aria-label')) return true;
        if (e.tagName === 'BUTTON' || e.tagName === 'A') return (e.textContent || '').trim().length > 0;
        const own = e.closest('label');
        if (own && shown(own) && own.textContent.trim()) return true;
        return [...(e.labels || [])].some(l => shown(l) && l.textContent.trim());
      };
      const root = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden)')][0] || document.body;
      return [...root.querySelectorAll('.jupyter-widgets input, .jupyter-widgets select, .jupyter-widgets button, '
                                       + '.jupyter-widgets textarea, .jupyter-widgets a')]
        .filter(e => shown(e) && !named(e)).map(e => e.outerHTML.slice(0, 120));
    }""")


def launcher_shown(page) -> list[str]:
    """What opens or names JupyterLab's Launcher: its panel, its tab, the
    file browser's "+" and the dock's "+" buttons."""
    return page.evaluate("""() => {
      const shown = e => e.checkVisibility();
      const found = [...document.querySelectorAll('.jp-Launcher, [data-command="launcher:create"], '
                                                  + '.lm-TabBar-addButton')].filter(shown).map(e => e.className);
      for (const t of document.querySelectorAll('.lm-DockPanel-tabBar .lm-TabBar-tab'))
        if (/Launcher|Peluncur/.test(t.innerText)) found.push(t.innerText);
      return found;
    }""")
