// One confirmation dialog for destructive actions; `reason: true` asks for a required reason.
export interface ConfirmRequest {
	title: string;
	message: string;
	confirmLabel: string;
	danger?: boolean;
	reason?: boolean;
	resolve: (answer: string | boolean) => void;
}

export const confirmState = $state<{ current: ConfirmRequest | null }>({ current: null });

/** Resolves true (or the typed reason) when confirmed, false when cancelled. */
export function confirmAction(opts: Omit<ConfirmRequest, 'resolve'>): Promise<string | boolean> {
	return new Promise((resolve) => {
		confirmState.current = { ...opts, resolve };
	});
}
