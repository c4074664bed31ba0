// An invite link's landing page: public, so the preview loads before anyone signs in.
import { invites, type InvitePreview } from '$lib/api';
import { toError, type ApiError } from '$lib/api/error';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, parent }) => {
	await parent(); // a remembered sign-in first, so the page knows whether to offer "Join"
	try {
		return { preview: (await invites.preview(params.code)) as InvitePreview, error: null };
	} catch (e) {
		return { preview: null, error: toError(e) as ApiError };
	}
};
