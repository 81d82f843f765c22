// The account pages the gateway serves for emailed links (services/gateway/src/account-pages.ts):
// confirm an email address, choose a new password, accept an invitation to a club.
//
// The link's token is read here, in the browser, from the address; the server never writes it
// into a page. Opening the link changes nothing (mail scanners open links): only pressing the
// button sends the mutation to the GraphQL endpoint, and the page shows its answer.
const page = document.body.dataset.page;
const endpoint = document.body.dataset.endpoint;
const form = document.getElementById('account-form');
const button = form.querySelector('button');
const result = document.getElementById('result');
const token = new URLSearchParams(window.location.search).get('token');
// Out of the address bar (and so out of history and of any link copied from it).
if (token !== null) window.history.replaceState(null, '', window.location.pathname);

const actions = {
  'verify-email': {
    query: 'mutation VerifyEmail($token: String!) { verifyEmail(token: $token) }',
    variables: () => ({ token }),
    done: () => 'Your email address is confirmed. You can close this page.',
  },
  'reset-password': {
    query:
      'mutation ResetPassword($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }',
    variables: () => ({ token, newPassword: form.elements.password.value }),
    check: () =>
      form.elements.password.value === form.elements.repeat.value ? null : 'The two passwords differ.',
    done: () => 'Your password is changed. Sign in with the new one.',
  },
  'accept-invitation': {
    query:
      'mutation AcceptClubInvitation($input: AcceptClubInvitationInput!) { acceptClubInvitation(input: $input) { user { email } } }',
    variables: () => ({
      input: {
        token,
        password: form.elements.password.value,
        firstName: form.elements.firstName.value || null,
        lastName: form.elements.lastName.value || null,
      },
    }),
    done: (data) =>
      `The invitation is accepted. Sign in as ${data.acceptClubInvitation.user.email} with this password.`,
  },
};

function show(outcome, message) {
  result.dataset.outcome = outcome;
  result.textContent = message;
}

const action = actions[page];
if (!action || !token) {
  button.disabled = true;
  show('error', 'This link has no token. Open the link from your email exactly as it was sent.');
} else {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const problem = action.check?.();
    if (problem) return show('error', problem);
    button.disabled = true;
    show('pending', 'Sending…');
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: action.query, variables: action.variables() }),
      });
      const body = await response.json();
      if (body.errors?.length) {
        show('error', body.errors[0].message);
        button.disabled = false;
        return;
      }
      show('done', action.done(body.data));
    } catch {
      show('error', 'Clubland could not be reached. Try again in a moment.');
      button.disabled = false;
    }
  });
}
