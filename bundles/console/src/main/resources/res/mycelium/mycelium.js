/*
 * The Mycelium page's script: turns the server-rendered sections into tabs, refreshes every table from data.json
 * once a second without reloading the page, and sorts a table by the header clicked. Plain browser JavaScript, no
 * dependencies, no build step. Cell text is set with textContent only: the figures name user-chosen services,
 * types, paths and tracebacks, and none of it may become markup.
 */
(function () {
    'use strict';
    var root = document.getElementById('mycelium');
    if (!root) {
        return;
    }
    var REFRESH_MS = 1000;
    var dataUrl = window.location.origin + root.getAttribute('data-json');
    var live = document.getElementById('mycelium-live');
    var sortState = {}; // table id -> {key, descending}
    root.classList.add('mycelium-js');

    function showTab(id) {
        var sections = root.querySelectorAll('section.mycelium-section');
        var found = false;
        sections.forEach(function (section) {
            if (section.id === 'mycelium-' + id) {
                found = true;
            }
        });
        if (!found && sections.length > 0) {
            id = sections[0].id.substring('mycelium-'.length);
        }
        sections.forEach(function (section) {
            section.hidden = section.id !== 'mycelium-' + id;
        });
        root.querySelectorAll('ul.mycelium-tabs a').forEach(function (link) {
            link.classList.toggle('mycelium-active', link.getAttribute('data-tab') === id);
        });
    }

    root.querySelectorAll('ul.mycelium-tabs a').forEach(function (link) {
        link.addEventListener('click', function (event) {
            event.preventDefault();
            var id = link.getAttribute('data-tab');
            history.replaceState(null, '', '#mycelium-' + id);
            showTab(id);
        });
    });
    showTab(window.location.hash.replace(/^#mycelium-/, ''));

    function numeric(text) {
        var value = parseFloat(String(text).replace(/,/g, ''));
        return isNaN(value) ? Number.NEGATIVE_INFINITY : value;
    }

    function sortRows(table, rows) {
        var state = sortState[table.id];
        if (!state) {
            return rows;
        }
        var index = table.columns.findIndex(function (column) { return column.key === state.key; });
        if (index < 0) {
            return rows;
        }
        var isNumber = table.columns[index].kind === 'number';
        var sorted = rows.slice();
        sorted.sort(function (a, b) {
            var order = isNumber ? numeric(a[index]) - numeric(b[index]) : String(a[index]).localeCompare(b[index]);
            return state.descending ? -order : order;
        });
        return sorted;
    }

    function cell(column, text) {
        var td = document.createElement('td');
        td.setAttribute('data-col', column.key);
        td.className = 'mycelium-' + column.kind;
        if (column.kind === 'pre') {
            var pre = document.createElement('pre');
            pre.textContent = text;
            td.appendChild(pre);
        } else {
            td.textContent = text;
        }
        return td;
    }

    function fill(element, table) {
        var body = element.tBodies[0];
        var fresh = document.createElement('tbody');
        if (table.rows.length === 0) {
            var tr = document.createElement('tr');
            tr.className = 'mycelium-empty';
            var td = document.createElement('td');
            td.colSpan = table.columns.length;
            td.textContent = table.empty;
            tr.appendChild(td);
            fresh.appendChild(tr);
        }
        sortRows(table, table.rows).forEach(function (row) {
            var tr = document.createElement('tr');
            row.forEach(function (text, i) {
                tr.appendChild(cell(table.columns[i], text));
            });
            fresh.appendChild(tr);
        });
        element.replaceChild(fresh, body);
        element.querySelectorAll('thead th').forEach(function (th) {
            var state = sortState[table.id];
            th.classList.toggle('mycelium-sorted-up', !!state && state.key === th.getAttribute('data-col')
                && !state.descending);
            th.classList.toggle('mycelium-sorted-down', !!state && state.key === th.getAttribute('data-col')
                && state.descending);
        });
    }

    var latest = null;

    function render(data) {
        latest = data;
        data.sections.forEach(function (section) {
            section.tables.forEach(function (table) {
                var element = document.getElementById(table.id);
                if (element && element.tBodies.length > 0) {
                    fill(element, table);
                }
            });
        });
        document.getElementById('mycelium-node').textContent = data.node;
        document.getElementById('mycelium-taken').textContent = data.taken;
    }

    root.querySelectorAll('table.mycelium-table thead th').forEach(function (th) {
        th.classList.add('mycelium-sortable');
        th.title = 'sort by this column';
        th.addEventListener('click', function () {
            var tableId = th.closest('table').id;
            var key = th.getAttribute('data-col');
            var state = sortState[tableId];
            // numbers sort biggest first on the first click: the busiest type is what one looks for
            var descending = state && state.key === key ? !state.descending : th.getAttribute('data-kind') === 'number';
            sortState[tableId] = {key: key, descending: descending};
            if (latest) {
                render(latest);
            }
        });
    });

    var failures = 0;

    function refresh() {
        fetch(dataUrl, {credentials: 'same-origin', cache: 'no-store', headers: {'Accept': 'application/json'}})
            .then(function (response) {
                if (!response.ok) {
                    throw new Error('HTTP ' + response.status + ' ' + response.statusText);
                }
                return response.json();
            })
            .then(function (data) {
                failures = 0;
                render(data);
                live.textContent = '(live: refreshed every second)';
                live.className = 'mycelium-ok';
            })
            .catch(function (error) {
                failures++;
                live.textContent = '(refresh failed ' + failures + ' time(s): ' + error.message
                    + '; the tables show the last figures read)';
                live.className = 'mycelium-failed';
            })
            .then(function () {
                window.setTimeout(refresh, REFRESH_MS);
            });
    }

    refresh();
}());
