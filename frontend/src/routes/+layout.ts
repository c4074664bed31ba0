// A single-page app: everything renders in the browser, signed in with the user's own key.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';
