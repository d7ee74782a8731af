/** The sign-in page for local accounts. */
import { document } from './layout.ts';
import { html, type SafeHtml } from './html.ts';

export function loginPage(options: { csrfToken: string; next: string; error?: string; login?: string }): SafeHtml {
  return document(
    'Connexion',
    html`<main class="login">
<h1>Placement</h1>
<p>Connectez-vous pour voir les candidats en recherche d'entreprise.</p>
${options.error ? html`<p class="banner" role="alert">${options.error}</p>` : ''}
<form method="post" action="/connexion">
<input type="hidden" name="_csrf" value="${options.csrfToken}">
<input type="hidden" name="next" value="${options.next}">
<label>Identifiant <input name="login" autocomplete="username" required value="${options.login ?? ''}" autofocus></label>
<label>Mot de passe <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Se connecter</button>
</form>
</main>`,
  );
}
