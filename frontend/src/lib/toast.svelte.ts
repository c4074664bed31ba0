// Short-lived messages in an aria-live region: successes and the server's error messages.
export type ToastKind = 'success' | 'error' | 'info';
export interface Toast {
	id: number;
	kind: ToastKind;
	message: string;
}

let next = 1;
export const toasts = $state<Toast[]>([]);

export function toast(message: string, kind: ToastKind = 'success', ms = kind === 'error' ? 8000 : 4000) {
	const id = next++;
	toasts.push({ id, kind, message });
	setTimeout(() => dismiss(id), ms);
}

export function dismiss(id: number) {
	const i = toasts.findIndex((t) => t.id === id);
	if (i >= 0) toasts.splice(i, 1);
}
