// Enhances the candidate page: searchable multi-selects built from the server's <select multiple>,
// and filtering, sorting and paging without a full page load. The URL always holds the view, so
// it can be bookmarked; without this script the form still works with its « Filtrer » button.

const form = document.getElementById('filters');
const results = document.getElementById('results');
const SEARCH_DELAY_MS = 250;

if (form && results) {
  for (const select of form.querySelectorAll('select[data-multiselect]')) enhanceSelect(select);

  let searchTimer;
  form.addEventListener('input', (event) => {
    if (event.target.name !== 'q') return;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => refresh(formUrl()), SEARCH_DELAY_MS);
  });
  form.addEventListener('change', (event) => {
    if (event.target.type === 'checkbox' && event.target.closest('.toggles')) refresh(formUrl());
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    refresh(formUrl());
  });

  // Sort links and pager links load in place; modified clicks (new tab) keep the browser's behaviour.
  results.addEventListener('click', (event) => {
    const link = event.target.closest('a');
    if (!link || link.hasAttribute('download') || link.target === '_blank') return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    const url = new URL(link.href);
    if (url.origin !== location.origin || url.pathname !== '/') return;
    event.preventDefault();
    refresh(url);
  });

  window.addEventListener('popstate', () => refresh(new URL(location.href), { history: false }));
}

function formUrl() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string' && value.trim() !== '') params.append(name, value);
  }
  const url = new URL('/', location.href);
  url.search = params.toString();
  return url;
}

let latestRequest = 0;

async function refresh(url, { history = true } = {}) {
  const request = ++latestRequest;
  results.setAttribute('aria-busy', 'true');
  try {
    const response = await fetch(url, { headers: { 'X-Requested-With': 'fetch' }, credentials: 'same-origin' });
    if (response.status === 401) {
      location.assign(`/connexion?suivant=${encodeURIComponent(url.pathname + url.search)}`);
      return;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    // A slower earlier answer must not overwrite a newer one.
    if (request !== latestRequest) return;
    results.replaceChildren(...page.getElementById('results').childNodes);
    for (const select of form.querySelectorAll('select[data-multiselect]')) {
      const fresh = page.querySelector(`select[name="${CSS.escape(select.name)}"]`);
      if (fresh) {
        select.replaceChildren(...fresh.querySelectorAll('option'));
        select.dispatchEvent(new Event('options-updated'));
      }
    }
    const freshness = page.querySelector('.freshness');
    const currentFreshness = document.querySelector('.freshness');
    if (freshness && currentFreshness) currentFreshness.replaceWith(freshness);
    if (history) window.history.pushState(null, '', url);
  } catch {
    // The in-place update failed (network, server error): fall back to a normal page load.
    location.assign(url);
  } finally {
    if (request === latestRequest) results.removeAttribute('aria-busy');
  }
}

/** Replaces a <select multiple> with a button and a panel holding a search box and checkboxes. */
function enhanceSelect(select) {
  const label = select.dataset.multiselect;
  const wrapper = select.closest('.filter');
  wrapper.classList.add('ms-enhanced');
  const panelId = `ms-${select.name}`;

  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'ms-button';
  button.setAttribute('aria-haspopup', 'true');
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', panelId);

  const panel = document.createElement('div');
  panel.className = 'ms-panel';
  panel.id = panelId;
  panel.hidden = true;

  const search = document.createElement('input');
  search.type = 'search';
  search.className = 'ms-search';
  search.placeholder = 'Rechercher…';
  search.setAttribute('aria-label', `Rechercher dans ${label}`);

  const list = document.createElement('div');
  list.className = 'ms-list';
  list.setAttribute('role', 'group');
  list.setAttribute('aria-label', label);

  const actions = document.createElement('div');
  actions.className = 'ms-actions';
  const clear = document.createElement('button');
  clear.type = 'button';
  clear.className = 'secondary button';
  clear.textContent = 'Tout effacer';
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Fermer';
  actions.append(clear, close);

  panel.append(search, list, actions);
  wrapper.append(button, panel);

  const renderButton = () => {
    const chosen = [...select.selectedOptions].map((option) => option.dataset.label ?? option.textContent);
    button.textContent = chosen.length === 0 ? 'Tous' : chosen.length === 1 ? chosen[0] : `${chosen.length} sélectionnés`;
    button.title = chosen.join(', ');
  };

  const renderList = () => {
    const term = normalise(search.value);
    // The list is rebuilt when new counts arrive: keep the keyboard focus on the same value.
    const focused = list.contains(document.activeElement) ? document.activeElement.value : undefined;
    list.replaceChildren();
    for (const option of select.options) {
      const text = option.dataset.label ?? option.textContent;
      if (term && !normalise(text).includes(term)) continue;
      const row = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = option.value;
      box.checked = option.selected;
      box.addEventListener('change', () => {
        option.selected = box.checked;
        renderButton();
        refresh(formUrl());
      });
      const name = document.createElement('span');
      name.textContent = text;
      const count = document.createElement('span');
      count.className = 'count';
      count.textContent = option.dataset.count ?? '';
      row.append(box, name, count);
      list.append(row);
      if (focused !== undefined && focused === option.value) box.focus();
    }
    if (list.childElementCount === 0) {
      const none = document.createElement('p');
      none.className = 'muted';
      none.textContent = 'Aucune valeur.';
      list.append(none);
    }
  };

  const open = (opened) => {
    panel.hidden = !opened;
    button.setAttribute('aria-expanded', String(opened));
    if (opened) {
      renderList();
      search.focus();
    }
  };

  button.addEventListener('click', () => open(panel.hidden));
  close.addEventListener('click', () => {
    open(false);
    button.focus();
  });
  clear.addEventListener('click', () => {
    for (const option of select.options) option.selected = false;
    renderButton();
    renderList();
    refresh(formUrl());
  });
  search.addEventListener('input', renderList);
  // The search box belongs to this widget, not to the form's free-text search.
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') event.preventDefault();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) {
      open(false);
      button.focus();
    }
  });
  document.addEventListener('click', (event) => {
    if (!wrapper.contains(event.target)) open(false);
  });
  select.addEventListener('options-updated', () => {
    renderButton();
    if (!panel.hidden) renderList();
  });
  renderButton();
}

function normalise(text) {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().trim();
}
