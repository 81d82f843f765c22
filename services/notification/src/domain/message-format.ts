import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { escapeHtml } from './html.ts';
import { type Checked, refuseInput } from './refusal.ts';
import { instantOf } from './zoned-time.ts';

/**
 * ICU MessageFormat (`intl-messageformat`) for notification texts: plurals, selects, numbers and
 * dates in the reader's locale, dates and times in the reader's time zone (every date and time
 * format goes through one Intl.DateTimeFormat factory that sets the zone, so `{at, time, short}`,
 * `{at, date}` and skeletons alike show member time).
 *
 * Two modes. Text (formatMessage): tags are plain text (`ignoreTag`); HTML is made later from the
 * text, escaped (email-layout.ts). Rich HTML (formatRichHtml), for a club's own htmlTemplate: ICU
 * tags from a short list (`<b>`, `<p>`, `<li>`...; ICU tags carry no attributes, so no links, no
 * styles, no scripts) become those elements, and every literal and every value is escaped.
 */

export type MessageValues = Readonly<Record<string, string | number | boolean | Date | null | undefined>>;

export const MAX_TEMPLATE_LENGTH = 10_000;

/** The elements a club's htmlTemplate may use, written as ICU tags: `<b>{name}</b>`. */
export const RICH_TAGS = [
  'b',
  'strong',
  'i',
  'em',
  'u',
  'small',
  'p',
  'h2',
  'h3',
  'ul',
  'ol',
  'li',
  'blockquote',
] as const;
const richTags: ReadonlySet<string> = new Set(RICH_TAGS);
const tagFunctions = Object.fromEntries(
  RICH_TAGS.map((tag) => [tag, (chunks: unknown[]) => `<${tag}>${chunks.join('')}</${tag}>`]),
);

interface Compiled {
  format: IntlMessageFormat;
  /** Arguments formatted as dates or times: their ISO strings become Dates. */
  dateArguments: ReadonlySet<string>;
}

const compiled = new Map<string, Compiled>();
const REMEMBERED = 2_000;
const formattersByZone = new Map<string, ConstructorParameters<typeof IntlMessageFormat>[3]>();

/** `make()` once per key, then the same object: Intl constructors cost far more than a lookup. */
function memo<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

function formattersFor(timeZone: string): ConstructorParameters<typeof IntlMessageFormat>[3] {
  return memo(formattersByZone, timeZone, () => {
    const numberFormats = new Map<string, Intl.NumberFormat>();
    const dateFormats = new Map<string, Intl.DateTimeFormat>();
    const pluralRules = new Map<string, Intl.PluralRules>();
    const keyOf = (locales: unknown, opts: unknown) => JSON.stringify([locales, opts]);
    return {
      ignoreTag: true,
      formatters: {
        getNumberFormat: (locales, opts) =>
          // formatjs's skeleton options know values (trailingZeroDisplay) newer than lib es2024's types.
          memo(
            numberFormats,
            keyOf(locales, opts),
            () => new Intl.NumberFormat(locales, opts as Intl.NumberFormatOptions),
          ),
        getDateTimeFormat: (locales, opts) =>
          memo(
            dateFormats,
            keyOf(locales, opts),
            () => new Intl.DateTimeFormat(locales, { ...opts, timeZone }),
          ),
        getPluralRules: (locales, opts) =>
          memo(pluralRules, keyOf(locales, opts), () => new Intl.PluralRules(locales, opts)),
      },
    };
  });
}

function compile(source: string, locale: string, timeZone: string, rich: boolean): Compiled {
  const key = `${rich ? 'html' : 'text'}\u0000${locale}\u0000${timeZone}\u0000${source}`;
  let entry = compiled.get(key);
  if (!entry) {
    const parsed = parse(source, { ignoreTag: !rich });
    const unknownTag = tagsOf(parsed).find((tag) => !richTags.has(tag));
    if (unknownTag !== undefined) throw new Error(`the tag <${unknownTag}> is not allowed`);
    const ast = rich ? escapeLiterals(parsed) : parsed;
    entry = {
      format: new IntlMessageFormat(ast, locale, undefined, formattersFor(timeZone)),
      dateArguments: new Set(
        argumentsOf(ast, (element) => element.type === TYPE.date || element.type === TYPE.time),
      ),
    };
    if (compiled.size >= REMEMBERED) compiled.clear();
    compiled.set(key, entry);
  }
  return entry;
}

function tagsOf(elements: readonly MessageFormatElement[]): string[] {
  const tags: string[] = [];
  const walk = (list: readonly MessageFormatElement[]) => {
    for (const element of list) {
      if (element.type === TYPE.tag) {
        tags.push(element.value);
        walk(element.children);
      } else if (element.type === TYPE.select || element.type === TYPE.plural) {
        for (const option of Object.values(element.options)) walk(option.value);
      }
    }
  };
  walk(elements);
  return tags;
}

/** A copy of the message whose literal text is HTML-escaped (values are escaped when formatting). */
function escapeLiterals(elements: readonly MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((element) => {
    if (element.type === TYPE.literal) return { ...element, value: escapeHtml(element.value) };
    if (element.type === TYPE.tag) return { ...element, children: escapeLiterals(element.children) };
    if (element.type === TYPE.select || element.type === TYPE.plural) {
      const options = Object.fromEntries(
        Object.entries(element.options).map(([key, option]) => [
          key,
          { ...option, value: escapeLiterals(option.value) },
        ]),
      );
      return { ...element, options } as MessageFormatElement;
    }
    return element;
  });
}

function argumentsOf(
  elements: readonly MessageFormatElement[],
  keep: (element: MessageFormatElement) => boolean = () => true,
): string[] {
  const names: string[] = [];
  const walk = (list: readonly MessageFormatElement[]) => {
    for (const element of list) {
      if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
      if (element.type === TYPE.tag) {
        walk(element.children);
        continue;
      }
      if (keep(element)) names.push(element.value);
      if (element.type === TYPE.select || element.type === TYPE.plural) {
        for (const option of Object.values(element.options)) walk(option.value);
      }
    }
  };
  walk(elements);
  return [...new Set(names)];
}

/**
 * Checks a template an admin wrote: it parses, is not too long, and uses only the variables it
 * declares (the contract's `variables`). Gives the variables it uses, in order of appearance.
 */
export function checkTemplateSource(
  source: string,
  declared: readonly string[] | null,
  field: string,
  mode: 'text' | 'html' = 'text',
): Checked<{ variables: string[] }> {
  if (source.length > MAX_TEMPLATE_LENGTH) {
    return refuseInput(field, `must be at most ${MAX_TEMPLATE_LENGTH} characters`);
  }
  let variables: string[];
  try {
    const ast = parse(source, { ignoreTag: mode === 'text' });
    const unknownTag = tagsOf(ast).find((tag) => !richTags.has(tag));
    if (unknownTag !== undefined) {
      return refuseInput(
        field,
        `may use only the tags ${RICH_TAGS.map((t) => `<${t}>`).join(' ')} (not <${unknownTag}>)`,
      );
    }
    variables = argumentsOf(ast);
  } catch (error) {
    return refuseInput(field, `is not valid ICU MessageFormat (${describeParseError(error)})`);
  }
  if (declared) {
    const undeclared = variables.filter((name) => !declared.includes(name));
    if (undeclared.length > 0) {
      return refuseInput(field, `uses undeclared variables: ${undeclared.join(', ')}`);
    }
  }
  return { ok: true, value: { variables } };
}

function describeParseError(error: unknown): string {
  if (error instanceof Error) {
    const located = error as Error & { location?: { start?: { offset?: number } } };
    const offset = located.location?.start?.offset;
    return offset === undefined ? error.message : `${error.message} at offset ${offset}`;
  }
  return 'unparseable';
}

/**
 * `source` formatted with `values` for `locale`, dates shown in `timeZone`. ISO strings given for
 * date and time arguments are read as instants, YYYY-MM-DD ones as that day in the reader's zone.
 * A missing value or a bad template is a refusal naming `field`, never a half-rendered text.
 */
export function formatMessage(
  source: string,
  values: MessageValues,
  options: FormatOptions,
): Checked<string> {
  return format(source, values, options, false);
}

/**
 * A club's htmlTemplate as safe HTML: the allowed tags as elements, literals and values escaped
 * (RICH_TAGS; see the file's comment). The result may go into an email's body as it is.
 */
export function formatRichHtml(
  source: string,
  values: MessageValues,
  options: FormatOptions,
): Checked<string> {
  return format(source, values, options, true);
}

interface FormatOptions {
  locale: string;
  timeZone: string;
  field?: string;
}

function format(
  source: string,
  values: MessageValues,
  options: FormatOptions,
  rich: boolean,
): Checked<string> {
  const field = options.field ?? 'template';
  let entry: Compiled;
  try {
    entry = compile(source, options.locale, options.timeZone, rich);
  } catch (error) {
    return refuseInput(field, `is not valid ICU MessageFormat (${describeParseError(error)})`);
  }
  const prepared: Record<string, string | number | boolean | Date | ((chunks: unknown[]) => string)> = rich
    ? { ...tagFunctions }
    : {};
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    if (entry.dateArguments.has(name) && typeof value === 'string') {
      // A calendar date (a letter's arrival day) is that day wherever the reader is: noon there.
      const instant = /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? instantOf({ date: value, minute: 720 }, options.timeZone)
        : new Date(value);
      if (Number.isNaN(instant.getTime())) return refuseInput(`${field}.${name}`, 'is not a date');
      prepared[name] = instant;
    } else if (rich && richTags.has(name)) {
      // A value named like a tag would replace the tag's function: never from data.
    } else {
      prepared[name] = rich && typeof value === 'string' ? escapeHtml(value) : value;
    }
  }
  try {
    const text = entry.format.format(prepared);
    return { ok: true, value: Array.isArray(text) ? text.join('') : String(text) };
  } catch (error) {
    // intl-messageformat names the variable only in its message (which also quotes the whole
    // template: not for clients).
    const variable = error instanceof Error ? /variable "([^"]+)"/.exec(error.message)?.[1] : undefined;
    const code = (error as { code?: string }).code;
    if (code === 'MISSING_VALUE' && variable) return refuseInput(`${field}.${variable}`, 'is missing');
    return refuseInput(variable ? `${field}.${variable}` : field, 'has a value the template cannot format');
  }
}

/**
 * The best of `available` locales for `wanted` (a member's locale, an Accept-Language entry):
 * an exact match, else the same language (fr-CA -> fr), else `fallback`.
 */
export function pickLocale(
  wanted: string | null | undefined,
  available: readonly string[],
  fallback: string,
): string {
  if (!wanted) return fallback;
  let canonical: string;
  try {
    canonical = Intl.getCanonicalLocales(wanted.replace(/_/g, '-'))[0] ?? '';
  } catch {
    return fallback;
  }
  const lower = canonical.toLowerCase();
  const exact = available.find((locale) => locale.toLowerCase() === lower);
  if (exact) return exact;
  const language = lower.split('-')[0];
  return available.find((locale) => locale.toLowerCase().split('-')[0] === language) ?? fallback;
}
