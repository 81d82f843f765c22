import { isTemplateKey, type TemplateKey } from './catalogue.ts';
import { checkTemplateSource, type MessageValues } from './message-format.ts';
import { isNotificationChannel, type NotificationChannel } from './notification.ts';
import { type Checked, refuseInput } from './refusal.ts';

/**
 * A club's own templates (the contract's NotificationTemplate): checked when saved, so rendering
 * later can only fail for missing data. A template named after a catalogue key
 * (`booking.status_changed`, or `booking.status_changed.fr` for one locale) replaces that default
 * text for the club; any other name is for its admins' own sends (templateId).
 */

export interface ClubTemplate {
  name: string;
  channel: NotificationChannel;
  bodyTemplate: string;
  htmlTemplate: string | null;
  variables: string[];
  isActive: boolean;
}

export interface ClubTemplateInput {
  name?: string | null;
  channel?: string | null;
  bodyTemplate?: string | null;
  htmlTemplate?: string | null;
  variables?: readonly string[] | null;
  isActive?: boolean | null;
}

export const MAX_TEMPLATE_VARIABLES = 50;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Values every render provides, so a template may use them without declaring them. */
const PROVIDED = ['clubName'];

/**
 * `input` as a template (create: `current` null, every field needed) or `current` with `input`
 * applied (update: absent and null fields keep their value). Field names as the mutations'.
 */
export function checkClubTemplate(
  current: ClubTemplate | null,
  input: ClubTemplateInput,
): Checked<ClubTemplate> {
  const name = (input.name ?? current?.name ?? '').trim();
  if (name.length === 0 || name.length > 100) return refuseInput('input.name', 'must be 1 to 100 characters');
  const channel = input.channel ?? current?.channel;
  if (!channel || !isNotificationChannel(channel)) return refuseInput('input.channel', 'unknown channel');
  const variables = [...(input.variables ?? current?.variables ?? [])];
  if (variables.length > MAX_TEMPLATE_VARIABLES) {
    return refuseInput('input.variables', `at most ${MAX_TEMPLATE_VARIABLES} variables`);
  }
  const badVariable = variables.findIndex((variable) => !VARIABLE.test(variable));
  if (badVariable >= 0) return refuseInput(`input.variables.${badVariable}`, 'must be a name like firstName');
  if (new Set(variables).size !== variables.length) return refuseInput('input.variables', 'must not repeat');

  const declared = [...variables, ...PROVIDED];
  const bodyTemplate = input.bodyTemplate ?? current?.bodyTemplate ?? '';
  if (bodyTemplate.trim().length === 0) return refuseInput('input.bodyTemplate', 'must not be empty');
  const body = checkTemplateSource(bodyTemplate, declared, 'input.bodyTemplate', 'text');
  if (!body.ok) return body;
  // An empty string clears the HTML template on update.
  const htmlTemplate =
    input.htmlTemplate === undefined || input.htmlTemplate === null
      ? (current?.htmlTemplate ?? null)
      : input.htmlTemplate.trim() === ''
        ? null
        : input.htmlTemplate;
  if (htmlTemplate !== null) {
    const html = checkTemplateSource(htmlTemplate, declared, 'input.htmlTemplate', 'html');
    if (!html.ok) return html;
  }
  return {
    ok: true,
    value: {
      name,
      channel,
      bodyTemplate,
      htmlTemplate,
      variables,
      isActive: input.isActive ?? current?.isActive ?? true,
    },
  };
}

/**
 * SendNotificationInput.templateData for a template: a JSON object of the declared variables,
 * each a string (up to 2,000 characters), a number or a boolean; other keys are dropped.
 */
export function checkTemplateData(
  data: unknown,
  variables: readonly string[],
  field = 'input.templateData',
): Checked<MessageValues> {
  if (data === null || data === undefined) return { ok: true, value: {} };
  if (typeof data !== 'object' || Array.isArray(data)) return refuseInput(field, 'must be an object');
  const values: Record<string, string | number | boolean> = {};
  for (const name of variables) {
    const value = (data as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') {
      if (value.length > 2_000) return refuseInput(`${field}.${name}`, 'must be at most 2000 characters');
      values[name] = value;
    } else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
      values[name] = value;
    } else {
      return refuseInput(`${field}.${name}`, 'must be a string, a number or a boolean');
    }
  }
  return { ok: true, value: values };
}

/** The template names that override `key` for `locale`, most specific first. */
export function overrideNames(key: TemplateKey, locale: string): [string, string] {
  return [`${key}.${locale}`, key];
}

/** The catalogue key a template's name overrides, if any (`booking.status_changed.fr` -> the key). */
export function overriddenKey(name: string): TemplateKey | null {
  if (isTemplateKey(name)) return name;
  const withoutLocale = name.replace(/\.[a-z]{2}$/, '');
  return isTemplateKey(withoutLocale) ? withoutLocale : null;
}
