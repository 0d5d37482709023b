/**
 * Standalone HTML of a version and of a comparison, for a browser tab, a printout or an
 * archive. Everything from the plan is escaped; no script is ever emitted; links keep only
 * http(s)/mailto addresses; colours reach style attributes only as #rrggbb.
 */
import type { ChangeAuthor, CompareResult, DiffElement, DiffMark, DiffNode, SectionSummary, VersionSummary } from '../../shared/versions.ts';

/** Escape text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const safeColor = (color: string | null | undefined): string | null => (color && /^#[0-9a-f]{6}$/i.test(color) ? color : null);

/** Block elements by node type; anything unknown becomes a div or span. */
const BLOCK_TAGS: Record<string, string> = {
  paragraph: 'p',
  blockquote: 'blockquote',
  bulletList: 'ul',
  orderedList: 'ol',
  listItem: 'li',
  codeBlock: 'pre',
  table: 'table',
  tableRow: 'tr',
  tableHeader: 'th',
  tableCell: 'td',
};

const MARK_TAGS: Record<string, string> = { bold: 'strong', italic: 'em', strike: 's', underline: 'u', code: 'code' };

function wrapMark(mark: DiffMark, inner: string): string {
  const tag = MARK_TAGS[mark.type];
  if (tag) return `<${tag}>${inner}</${tag}>`;
  if (mark.type === 'link') {
    const href = typeof mark.attrs?.href === 'string' ? mark.attrs.href : null;
    return href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${inner}</a>` : inner;
  }
  if (mark.type === 'insertion' || mark.type === 'deletion') {
    const color = safeColor(mark.attrs?.color as string | null);
    const by = String(mark.attrs?.authorName ?? '');
    const label = mark.type === 'insertion' ? `Sugerencia de inserción${by ? ` de ${by}` : ''}` : `Sugerencia de eliminación${by ? ` de ${by}` : ''}`;
    return `<span class="suggestion suggestion--${mark.type}" title="${escapeHtml(label)}"${color ? ` style="--suggestion-color: ${color}"` : ''}>${inner}</span>`;
  }
  return inner;
}

function authorLabel(author: ChangeAuthor | undefined): string {
  return author ? `${author.name} (${author.delegation})` : 'autor desconocido';
}

function renderNode(node: DiffNode, authors: readonly ChangeAuthor[]): string {
  if (node.kind === 'text') {
    let html = escapeHtml(node.text);
    for (const mark of [...node.marks].reverse()) html = wrapMark(mark, html);
    if (node.change === 'inserted') {
      const author = node.author === null ? undefined : authors[node.author];
      const color = safeColor(author?.color);
      return `<ins class="diff-ins" title="Insertado por ${escapeHtml(authorLabel(author))}"${color ? ` style="--author-color: ${color}"` : ''}>${html}</ins>`;
    }
    if (node.change === 'deleted') return `<del class="diff-del" title="Eliminado (Yjs no registra quién elimina)">${html}</del>`;
    return html;
  }
  return renderElement(node, authors);
}

function renderElement(node: DiffElement, authors: readonly ChangeAuthor[]): string {
  const inner = node.children.map((child) => renderNode(child, authors)).join('');
  const changeClass = node.change ? ` class="diff-block diff-block--${node.change}"` : '';
  switch (node.type) {
    case 'doc':
      return inner;
    case 'heading': {
      const level = Math.min(Math.max(Number(node.attrs.level) || 2, 1), 6);
      return `<h${level}${changeClass}>${inner}</h${level}>`;
    }
    case 'hardBreak':
      return '<br>';
    case 'horizontalRule':
      return `<hr${changeClass}>`;
    case 'table':
      return `<table${changeClass}><tbody>${inner}</tbody></table>`;
    case 'orderedList': {
      const start = Number(node.attrs.start);
      return `<ol${changeClass}${Number.isInteger(start) && start !== 1 ? ` start="${start}"` : ''}>${inner}</ol>`;
    }
    case 'tableCell':
    case 'tableHeader': {
      const tag = BLOCK_TAGS[node.type];
      const span = (name: string): string => {
        const value = Number(node.attrs[name]);
        return Number.isInteger(value) && value > 1 ? ` ${name}="${value}"` : '';
      };
      return `<${tag}${changeClass}${span('colspan')}${span('rowspan')}>${inner}</${tag}>`;
    }
    default: {
      const tag = BLOCK_TAGS[node.type] ?? 'div';
      return `<${tag}${changeClass}>${inner}</${tag}>`;
    }
  }
}

/** The document part of a version or comparison as HTML. */
export function renderDocumentHtml(doc: DiffElement, authors: readonly ChangeAuthor[] = []): string {
  return renderElement(doc, authors);
}

const STYLE = `
body{font-family:Georgia,'DejaVu Serif',serif;max-width:52rem;margin:2rem auto;padding:0 1.5rem;color:#1f2328;line-height:1.55}
header{font-family:system-ui,sans-serif;border-bottom:1px solid #dedad3;margin-bottom:1.5rem;padding-bottom:1rem}
header p{margin:.2rem 0;color:#5d646d}
table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.95em}
td,th{border:1px solid #b9b3a8;padding:.35rem .5rem;vertical-align:top;text-align:left}
td p,th p{margin:0}
ins.diff-ins{background:#e3f4e6;text-decoration:none;border-bottom:2px solid var(--author-color,#1e7a3d)}
del.diff-del{background:#fdecea;color:#8c1d13}
.diff-block--inserted{box-shadow:-4px 0 0 #1e7a3d}
.diff-block--deleted{box-shadow:-4px 0 0 #b42318;opacity:.85}
.suggestion--insertion{color:var(--suggestion-color,#1f5fbf);text-decoration:underline dotted}
.suggestion--deletion{color:var(--suggestion-color,#1f5fbf);text-decoration:line-through dotted}
.summary{font-family:system-ui,sans-serif;font-size:.9rem}
.summary td,.summary th{text-align:right}.summary td:first-child,.summary th:first-child{text-align:left}
.legend{font-family:system-ui,sans-serif;font-size:.9rem;list-style:none;padding:0;display:flex;gap:1rem;flex-wrap:wrap}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;margin-right:.3rem;vertical-align:middle}
`;

function page(title: string, header: string, body: string): string {
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>${header}</header>
<main>${body}</main>
</body>
</html>
`;
}

function capturer(version: VersionSummary): string {
  const by = version.capturedBy;
  if (by.kind === 'person') return `${by.name} (${by.delegation})`;
  return by.source === 'milestone' ? 'el servidor, al llegar el hito' : 'la administración (línea de comandos)';
}

/** A whole version as a standalone page. */
export function versionPage(input: { planTitle: string; version: VersionSummary; doc: DiffElement }): string {
  const { planTitle, version, doc } = input;
  const header = `<h1>${escapeHtml(planTitle)}</h1>
<p>Versión «${escapeHtml(version.name)}», capturada el ${escapeHtml(version.capturedAt)} por ${escapeHtml(capturer(version))}.</p>
<p>SHA-256: <code>${escapeHtml(version.contentHash)}</code></p>`;
  return page(`${planTitle} · ${version.name}`, header, renderDocumentHtml(doc));
}

function summaryTable(sections: readonly SectionSummary[], authors: readonly ChangeAuthor[]): string {
  const rows = sections
    .filter((s) => s.index > 0 || s.wordsAdded + s.wordsRemoved + s.commentsOpened + s.commentsResolved + s.suggestionsMade + s.suggestionsAccepted + s.suggestionsRejected > 0)
    .map((s) => {
      const who = s.authors.map((i) => escapeHtml(authorLabel(authors[i]))).join(', ');
      const cells = [s.wordsAdded, s.wordsRemoved, s.commentsOpened, s.commentsResolved, s.suggestionsMade, s.suggestionsAccepted, s.suggestionsRejected].map((n) => `<td>${n}</td>`).join('');
      return `<tr><th scope="row">${escapeHtml(s.title ?? 'Inicio del plan')}</th>${cells}<td>${who || '—'}</td></tr>`;
    })
    .join('');
  return `<table class="summary"><thead><tr><th scope="col">Sección</th><th scope="col">Palabras añadidas</th><th scope="col">Palabras eliminadas</th><th scope="col">Comentarios abiertos</th><th scope="col">Comentarios resueltos</th><th scope="col">Sugerencias hechas</th><th scope="col">Aceptadas</th><th scope="col">Rechazadas</th><th scope="col">Cambios de</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A comparison as a standalone page: summary per section, legend, then the marked document. */
export function comparePage(input: { planTitle: string; result: CompareResult }): string {
  const { planTitle, result } = input;
  const legend = result.authors
    .map((a) => `<li><span class="swatch" style="background:${safeColor(a.color) ?? '#5d646d'}"></span>${escapeHtml(authorLabel(a))}</li>`)
    .join('');
  const header = `<h1>${escapeHtml(planTitle)}</h1>
<p>Comparación de «${escapeHtml(result.from.name)}» (${escapeHtml(result.from.at)}) con «${escapeHtml(result.to.name)}» (${escapeHtml(result.to.at)}).</p>
<p>${result.totals.wordsAdded} palabras añadidas, ${result.totals.wordsRemoved} eliminadas. Las eliminaciones no tienen autor: Yjs no registra quién elimina.</p>
${summaryTable(result.sections, result.authors)}
${legend ? `<ul class="legend">${legend}</ul>` : ''}`;
  return page(`${planTitle} · ${result.from.name} → ${result.to.name}`, header, renderDocumentHtml(result.doc, result.authors));
}
