// Generated from the backend's /api/openapi.json by scripts/gen-api.mjs. Do not edit.
// Regenerate: npm run api:types (with the backend running).

export interface paths {
    "/api/backups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The database's scheduled backups (admin only). */
        get: operations["listBackups"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up. */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/identity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's pubkey, admin flag and tenant record. No side effects. */
        get: operations["getIdentity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invites/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getInvite"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invites/{code}/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["joinWithInvite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invoices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your invoices (admins: everyone's), newest first. */
        get: operations["listInvoices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invoices/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One invoice with its items. */
        get: operations["getInvoice"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invoices/{id}/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Asks the operator's wallet now whether any BOLT11 of this invoice was paid. */
        post: operations["checkInvoice"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invoices/{id}/mark-paid": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Marks an open invoice paid (admin only), e.g. for a payment made outside Lightning. */
        post: operations["markInvoicePaid"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invoices/{id}/void": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Voids an open invoice (admin only): it is no longer owed and no longer counts. */
        post: operations["voidInvoice"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/livekit/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The room watcher's connection to each relay (admin only). */
        get: operations["getLivekitStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/livekit/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A LiveKit token for a room on a hosted relay, for a member of that relay. */
        post: operations["issueLivekitToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/livekit/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * LiveKit's webhook: signed by LiveKit (a JWT in `Authorization` whose `sha256` claim is the
         *     body's hash). Enforces one session per token.
         */
        post: operations["livekitWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The platform's NIP-17 messages, newest first, with their delivery state (admin only). */
        get: operations["listMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every node, with its relays, room and health (admin only). */
        get: operations["listNodes"];
        put?: never;
        /** Adds a zooid node; new relays may be placed on it once it is `active` (admin only). */
        post: operations["addNode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/nodes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Changes a node's address, key, upstream, capacity or state (admin only). `draining`
         *     takes no new relays; `down` also stops sending anything to it.
         */
        patch: operations["changeNode"];
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document: OpenAPI 3.1, generated from the code. */
        get: operations["getOpenapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every plan, cheapest first. */
        get: operations["listPlans"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/platform": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the platform is on Nostr. */
        get: operations["getPlatform"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/provisioning": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The provisioning worker's state and backlog (admin only). */
        get: operations["getProvisioning"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The service can serve requests: its database answers, its provisioning worker runs, and
         *     LiveKit (when configured) answers.
         */
        get: operations["getReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your relays (admins: everyone's), newest first, searchable and filterable. */
        get: operations["listRelays"];
        put?: never;
        /**
         * Creates a relay on a plan, registering the caller as a tenant if needed.
         *     It starts `pending` and goes `active` once zooid serves it.
         */
        post: operations["createRelay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether a subdomain can be had, for the form's live check. */
        get: operations["checkSubdomain"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listMyRelayRoles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One relay of yours (admins: any). */
        get: operations["getRelay"];
        /**
         * Changes a relay's name, subdomain, icon, description or plan. The zooid schema
         *     stays what it was at creation, even when the subdomain changes.
         */
        put: operations["updateRelay"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/bans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listRelayBans"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/bans/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["removeRelayEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/bans/events/{event}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["allowRelayEvent"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/bans/pubkeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["banRelayPubkey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/bans/pubkeys/{pubkey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["unbanRelayPubkey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turns a relay off. Doing it again changes nothing. */
        post: operations["deactivateRelay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["exportRelayEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/invites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listRelayInvites"];
        put?: never;
        post: operations["createRelayInvite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/invites/{invite}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["revokeRelayInvite"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listRelayMembers"];
        put?: never;
        post: operations["addRelayMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/members/{pubkey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["removeRelayMember"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/move": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Moves a relay to another node (admin only), as durable steps that resume after a crash:
         *     its configuration is written, off, on the target; it is turned off on the source, routed
         *     to the target and turned on there; then deleted from the source. Clients reconnect once.
         *     Its stored events are not copied (the operator copies them; see the README).
         */
        post: operations["moveRelay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["setRelayPolicies"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/reactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turns an inactive relay back on. Doing it again changes nothing. */
        post: operations["reactivateRelay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listRelayReports"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listRelayRoles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/roles/{pubkey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["setRelayRole"];
        post?: never;
        delete: operations["removeRelayRole"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/relays/{id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sends the relay's full configuration to zooid now, even if it is believed in sync,
         *     and skips any backoff wait (admin only).
         */
        post: operations["syncRelay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The operator's overview figures, computed from the database at request time (admin only). */
        get: operations["getStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every tenant (admin only), newest first. */
        get: operations["listTenants"];
        put?: never;
        /** Registers the caller as a tenant: 201 the first time, 200 after that. */
        post: operations["registerTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenants/{pubkey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One tenant: yourself, or anyone for an admin. */
        get: operations["getTenant"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenants/{pubkey}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reactivates a tenant and the relays its deactivation turned off (admin only). */
        post: operations["activateTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenants/{pubkey}/billing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Stores (encrypted) or clears the tenant's wallet for recurring billing. */
        put: operations["setTenantBilling"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenants/{pubkey}/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deactivates a tenant and every relay of theirs that is running (admin only). */
        post: operations["deactivateTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tls/allowed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether a TLS certificate may be obtained for `domain`: 200 for an `active` relay's host
         *     (`<subdomain>.<RELAY_DOMAIN>`) and for the dashboard's host (`PUBLIC_URL`), 404 for
         *     anything else. For Caddy's `on_demand_tls { ask <url> }`.
         */
        get: operations["tlsAllowed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AddMember: {
            /** @description hex or npub */
            pubkey: string;
        };
        AllowedHost: {
            /** @description The host, lower-cased. */
            domain: string;
            /** @description What the platform serves there: `relay` or `dashboard`. */
            serves: string;
        };
        Availability: {
            available: boolean;
            /** @description Why not, as a stable code: `relay/invalid-subdomain`, `relay/subdomain-reserved` or `relay/subdomain-taken`. */
            code?: string | null;
            /** @description The host the relay would get. */
            host?: string | null;
            /** @description Why not, for a person; `null` when available. */
            reason?: string | null;
            /** @description The subdomain as it would be stored (trimmed, lower-case). */
            subdomain: string;
        };
        BackupFailure: {
            /**
             * Format: int64
             * @description When it failed (unix seconds).
             */
            at: number;
            error: string;
        };
        BackupView: {
            /** Format: int64 */
            bytes: number;
            name: string;
            /**
             * Format: int64
             * @description When it was written (unix seconds).
             */
            taken_at: number;
        };
        BackupsView: {
            /** @description Scheduled backups on disk, newest first. */
            backups: components["schemas"]["BackupView"][];
            /** @description Where scheduled backups are written (`BACKUP_DIR`). */
            dir: string;
            /**
             * Format: int64
             * @description Seconds between scheduled backups; `null`: scheduled backups are off.
             */
            interval_secs?: number | null;
            /**
             * Format: int32
             * @description How many scheduled backups are kept.
             */
            keep: number;
            last_failure?: null | components["schemas"]["BackupFailure"];
            /**
             * @description Where the key that decrypts relay keys and wallet URLs lives: `PLATFORM_KEY` or
             *     `DATA_DIR/platform.key`. It is not in the database, nor in any backup.
             */
            platform_key_source: string;
        };
        BanPubkey: {
            /** @description hex or npub */
            pubkey: string;
            /** @description Why (1–500 characters), for the log and the relay's ban list. */
            reason: string;
        };
        Banned: {
            /** @description A pubkey or an event id (hex). */
            id: string;
            reason: string;
        };
        /** @description What the relay has banned. */
        Bans: {
            events: components["schemas"]["Banned"][];
            pubkeys: components["schemas"]["Banned"][];
        };
        BillingInput: {
            /**
             * @description A `nostr+walletconnect://` URI for recurring billing, or `null` to turn it off. Required:
             *     a body without it (`{}`) is refused 422 rather than read as clearing the wallet.
             */
            nwc_url: string | null;
        };
        /** @description What may be shown of a tenant's wallet connection: never the URL or its secret. */
        BillingView: {
            /** @description The last error the wallet gave, if any. */
            last_error?: string | null;
            /** @description Whether invoices are paid automatically from the tenant's wallet. */
            recurring: boolean;
            wallet_pubkey?: string | null;
            wallet_relays: string[];
        };
        Checks: {
            /**
             * @description The billing worker: `ok` (a pass finished recently), `starting`, `stalled`, or `off`
             *     (no `NWC_URL`). Reported only; it does not make the service unready.
             */
            billing: string;
            database: string;
            /**
             * @description Only when LiveKit is configured: `ok` when an authenticated ListRooms succeeds,
             *     else `unreachable`.
             */
            livekit?: string | null;
            /** @description `ok`, or `stalled` when the provisioning worker has not looped for 30 s. */
            provisioner: string;
        };
        CreateRelay: {
            description?: string;
            /** @description An https:// image URL. */
            icon?: string;
            name: string;
            /** @description A plan id from `GET /api/plans`. */
            plan: string;
            /** @description Lower-case DNS label, 3–63 characters of a-z, 0-9 and `-`, starting with a letter. */
            subdomain: string;
        };
        /** @description The body of every error answer. */
        ErrorBody: {
            error: components["schemas"]["ErrorDetail"];
        };
        ErrorDetail: {
            /**
             * @description Stable machine-readable code, such as `relay/subdomain-taken`.
             * @example relay/subdomain-taken
             */
            code: string;
            /** @description The request field at fault, when there is one. */
            field?: string | null;
            /** @description What went wrong, for a person. */
            message: string;
        };
        Health: {
            checks?: null | components["schemas"]["Checks"];
            /** @description `ok` when the process is up; `ready` or `unavailable` for readiness. */
            status: string;
        };
        HeldRole: {
            /** @description `<subdomain>.<RELAY_DOMAIN>` */
            host: string;
            name: string;
            relay: string;
            role: components["schemas"]["RelayRole"];
        };
        /** @description The relays on which the caller holds a role (co-admin or inviter). */
        HeldRoles: {
            items: components["schemas"]["HeldRole"][];
        };
        Identity: {
            is_admin: boolean;
            npub: string;
            pubkey: string;
            tenant?: null | components["schemas"]["TenantView"];
        };
        /**
         * @description Who turned an inactive relay off.
         * @enum {string}
         */
        InactiveReason: "owner" | "admin" | "tenant";
        InviteList: {
            items: components["schemas"]["InviteView"][];
        };
        /** @description What an invite link invites to. */
        InvitePreview: {
            /** Format: int64 */
            expires_at: number;
            relay_description: string;
            relay_icon: string;
            relay_name: string;
            /** @description The relay's WebSocket URL. */
            relay_url: string;
            state: components["schemas"]["InviteState"];
        };
        /**
         * @description Whether an invite still admits anyone.
         * @enum {string}
         */
        InviteState: "active" | "expired" | "revoked" | "used-up";
        /** @description An invite as its relay's admins see it. */
        InviteView: {
            /** @description The secret part of the link. */
            code: string;
            /** Format: int64 */
            created_at: number;
            created_by: string;
            /** Format: int64 */
            expires_at: number;
            id: string;
            /** @description The page where the invitee signs in and joins. */
            link: string;
            /**
             * Format: int64
             * @description `null`: as many joins as the relay has room for.
             */
            max_uses?: number | null;
            /**
             * @description The invite's claim at the relay itself, while it is one: a Nostr client that speaks
             *     zooid's invites (kind 28934 with a `claim` tag) joins the relay with it directly. Only
             *     an invite without a use limit is one, and not while the relay is full.
             */
            relay_claim?: string | null;
            /** Format: int64 */
            revoked_at?: number | null;
            state: components["schemas"]["InviteState"];
            /** Format: int64 */
            uses: number;
        };
        InvoiceList: {
            items: components["schemas"]["InvoiceView"][];
            /** Format: int64 */
            limit: number;
            /** Format: int64 */
            offset: number;
            /** Format: int64 */
            total: number;
        };
        InvoiceStats: {
            /**
             * Format: int64
             * @description Invoices whose grace period ran out unpaid in the last 30 days (still open).
             */
            lapsed_30d: number;
            /**
             * Format: int64
             * @description Open invoices with something to pay.
             */
            open: number;
            /** Format: int64 */
            open_sats: number;
            /**
             * Format: int64
             * @description Open invoices past their due date plus the grace period (BILLING_GRACE_DAYS).
             */
            overdue: number;
            /** Format: int64 */
            overdue_sats: number;
            /**
             * Format: int64
             * @description Invoices paid in the last 30 days.
             */
            paid_30d: number;
            /**
             * Format: double
             * @description `paid_30d / (paid_30d + lapsed_30d)`; absent when both are zero.
             */
            success_rate?: number | null;
        };
        /**
         * @description Where an invoice stands. Only [`crate::lifecycle::invoice`] moves it.
         * @enum {string}
         */
        InvoiceStatus: "open" | "paid" | "void";
        InvoiceView: {
            /** Format: int64 */
            amount_msat: number;
            /** @description The Lightning invoice to pay, once issued. */
            bolt11?: string | null;
            /** Format: int64 */
            created_at: number;
            /**
             * Format: int64
             * @description After this, plus the grace period, unpaid relays are suspended.
             */
            due_at: number;
            /**
             * Format: int64
             * @description When the current BOLT11 expires (a fresh one is issued after).
             */
            expires_at?: number | null;
            id: string;
            /** @description Present when reading one invoice. */
            items?: components["schemas"]["ItemView"][] | null;
            /** @description `period` (the monthly invoice) or `prorated` (a relay created or upgraded mid-period). */
            kind: string;
            /** @description Why the platform could not get a Lightning invoice for it yet (it keeps trying). */
            last_error?: string | null;
            /** Format: int64 */
            paid_at?: number | null;
            payment_hash?: string | null;
            /** Format: int64 */
            period_end: number;
            /** Format: int64 */
            period_start: number;
            /** @description `open`, `paid` or `void`. */
            status: components["schemas"]["InvoiceStatus"];
            tenant: string;
        };
        ItemView: {
            /** Format: int64 */
            amount_msat: number;
            description: string;
            /** Format: int64 */
            period_end: number;
            /** Format: int64 */
            period_start: number;
            plan: string;
            relay_id?: string | null;
        };
        /** @description A join through an invite. */
        Joined: {
            /** @description `false`: already a member, nothing changed. */
            joined: boolean;
            /** @description The relay's WebSocket URL, to add to a Nostr client. */
            relay_url: string;
        };
        LivekitStatus: {
            /** @description Whether LiveKit is configured. */
            configured: boolean;
            /** @description The watcher's connection to each relay with LiveKit. */
            relays: components["schemas"]["WatchState"][];
        };
        MemberView: {
            /**
             * Format: int64
             * @description When the relay added them, if it still has that record.
             */
            joined_at?: number | null;
            pubkey: string;
            /** @description `owner`, `admin` or `inviter`; none for a plain member. */
            role?: string | null;
        };
        /** @description A relay's members, read from the relay's own member list just now. */
        MembersView: {
            /**
             * Format: int64
             * @description Members, the owner included.
             */
            count: number;
            /** @description At the limit: joins are closed at the relay until it drops below. */
            full: boolean;
            items: components["schemas"]["MemberView"][];
            /**
             * Format: int64
             * @description The plan's `max_members`; `null`: unlimited.
             */
            limit?: number | null;
            relay_host: string;
            /** @description The relay's name and host, for a co-admin (who cannot read the relay itself). */
            relay_name: string;
        };
        MessageList: {
            items: components["schemas"]["MessageView"][];
            /** Format: int64 */
            limit: number;
            /** Format: int64 */
            offset: number;
            /** Format: int64 */
            total: number;
        };
        /**
         * @description Where a platform message stands, as admins see it.
         * @enum {string}
         */
        MessageState: "pending" | "sent" | "failing";
        MessageStats: {
            /**
             * Format: int64
             * @description Still pending after a failed delivery attempt.
             */
            failing: number;
            /**
             * Format: int64
             * @description Not tried yet, or waiting for its first try.
             */
            pending: number;
            /** Format: int64 */
            sent: number;
        };
        MessageView: {
            /** @description The relays that accepted the gift wrap. */
            accepted_by: string[];
            /** Format: int64 */
            attempts: number;
            /** Format: int64 */
            created_at: number;
            /** Format: int64 */
            id: number;
            /** @description The last delivery error, while the message is not delivered. */
            last_error?: string | null;
            /**
             * Format: int64
             * @description When delivery is tried again, while the message is not delivered.
             */
            next_attempt_at?: number | null;
            /** @description The tenant it is for (hex). */
            recipient: string;
            /** @description Where the recipient's inbox relays came from: `10050`, `10002-read` or `platform`. */
            relay_source?: string | null;
            /** Format: int64 */
            sent_at?: number | null;
            /** @description `sent`, `pending` (on its way) or `failing` (retrying after an error). */
            state: components["schemas"]["MessageState"];
            /** @description What it is about: `invoice`, `reminder`, `receipt`, `pull-failed` or `suspended`. */
            topic: string;
        };
        MoveRequest: {
            /** @description The node to move the relay to. */
            node: string;
        };
        /**
         * @description The step a relay's move between nodes is at; each step is idempotent, so a crash
         *     repeats the step it was in.
         * @enum {string}
         */
        MoveStep: "preparing" | "switching" | "retiring";
        /** @description A relay's move between nodes, as far as it has got. */
        MoveView: {
            step: components["schemas"]["MoveStep"];
            /** @description The node it goes to (after the switch: the node it is on). */
            to: string;
        };
        MrrPoint: {
            /** Format: int64 */
            at: number;
            /** Format: int64 */
            mrr_sats: number;
        };
        NewInvite: {
            /**
             * Format: int64
             * @description How many people may join with it (1–10000); `null` or left out: no limit but the plan's.
             */
            max_uses?: number | null;
            /**
             * Format: int64
             * @description How long the link works, in hours (1–2160; default 168, a week).
             */
            valid_hours?: number | null;
        };
        NewNode: {
            /**
             * @description The node's own API key (nsec or hex) whose pubkey is in its `API_WHITELIST`; absent:
             *     the shared `ZOOID_API_SECRET`.
             */
            api_secret?: string | null;
            /** @description zooid's management API (`http(s)://…`); absent or `null`: the local config directory. */
            api_url?: string | null;
            /** Format: int64 */
            capacity: number;
            /** @description `[a-z][a-z0-9-]{0,31}` */
            id: string;
            state?: null | components["schemas"]["NodeState"];
            /** @description `ip:port` the proxy sends relay traffic to. */
            upstream: string;
        };
        /**
         * @description Only the fields sent change; `api_url: null` makes it the local config directory and
         *     `api_secret: null` returns it to the shared key.
         */
        NodeChanges: {
            api_secret?: string | null;
            api_url?: string | null;
            /** Format: int64 */
            capacity?: number | null;
            state?: null | components["schemas"]["NodeState"];
            upstream?: string | null;
        };
        /** @description How the node answered the platform lately. */
        NodeHealth: {
            /**
             * Format: int64
             * @description Consecutive failed requests; 0: healthy. While failing, the node is probed and its
             *     relays wait for it.
             */
            failures: number;
            last_error?: string | null;
            /** Format: int64 */
            last_success_at?: number | null;
            /** Format: int64 */
            next_probe_at?: number | null;
        };
        NodeList: {
            nodes: components["schemas"]["NodeView"][];
            /**
             * Format: int64
             * @description Relays refused in the last 24 hours because no active node had room.
             */
            refused_placements: number;
        };
        /**
         * @description Whether a zooid node takes relays, as admins set it. Only [`crate::lifecycle::node`]
         *     changes it.
         * @enum {string}
         */
        NodeState: "active" | "draining" | "down";
        NodeView: {
            /** @description zooid's management API; `null`: the platform's local config directory. */
            api_url?: string | null;
            /** Format: int64 */
            capacity: number;
            /** Format: int64 */
            free: number;
            health: components["schemas"]["NodeHealth"];
            id: string;
            /**
             * @description Whether the node has its own API key (else the shared `ZOOID_API_SECRET`). The key
             *     itself is never shown.
             */
            own_secret: boolean;
            /**
             * Format: int64
             * @description Relays placed on it (those moving to it included).
             */
            relays: number;
            state: components["schemas"]["NodeState"];
            /** @description `ip:port` the proxy sends the node's relay traffic to. */
            upstream: string;
        };
        PlanCount: {
            name: string;
            plan: string;
            /**
             * Format: int64
             * @description The plan's monthly price today.
             */
            price_sats: number;
            /**
             * Format: int64
             * @description Of those, `pending` or `active` (billed).
             */
            running: number;
            /**
             * Format: int64
             * @description Relays on this plan in any status.
             */
            total: number;
        };
        PlanView: {
            /** @description Whether the plan can be chosen now: paid plans need the operator's Lightning wallet. */
            available: boolean;
            blossom: boolean;
            id: string;
            livekit: boolean;
            /**
             * Format: int64
             * @description Members a relay on this plan may have; `null` for unlimited.
             */
            max_members?: number | null;
            name: string;
            /**
             * Format: int64
             * @description The monthly price in millisatoshis.
             */
            price_msat: number;
            /** Format: int64 */
            price_sats: number;
        };
        PlatformView: {
            /** @description Whether paid plans can be bought (the operator's wallet is configured). */
            billing_enabled: boolean;
            /** Format: int32 */
            grace_days: number;
            /**
             * @description Where the platform looks up profiles and relay lists (`ROBOT_INDEXER_RELAYS`); the
             *     dashboard reads the signed-in person's profile from them.
             */
            indexer_relays: string[];
            /** @description The Lightning network invoices are issued on. */
            lightning_network: string;
            /** @description Where the robot receives messages (its kind 10050). */
            messaging_relays: string[];
            name: string;
            npub: string;
            /** @description The robot's pubkey (hex): invoices, receipts and notices come from it as NIP-17 DMs. */
            pubkey: string;
            /** @description Relays live at `<subdomain>.<relay_domain>`. */
            relay_domain: string;
        };
        /** @description The switches of a relay, sent to zooid in its configuration. */
        Policies: {
            /** @description Blossom media (plans with media). */
            blossom: boolean;
            /** @description Only members may download the relay's media. */
            blossom_members_read: boolean;
            /** @description NIP-29 groups. */
            groups: boolean;
            /** @description LiveKit audio and video rooms (plans with LiveKit). */
            livekit: boolean;
            /** @description Every member may invite others (otherwise only the owner, co-admins and inviters). */
            members_may_invite: boolean;
            /** @description Anyone may join without an invite. */
            public_join: boolean;
            /** @description NIP-9A push notifications. */
            push: boolean;
            /**
             * @description Serve events without their signatures to everyone but managers. Clients can then no
             *     longer check who wrote what: only for communities that accept that.
             */
            strip_signatures: boolean;
        };
        ProvisioningStatus: {
            /**
             * Format: int64
             * @description Relays zooid does not have the latest configuration of.
             */
            behind: number;
            /**
             * Format: int64
             * @description Of those, the ones whose last attempt failed (retrying with backoff).
             */
            failing: number;
            /** @description Where configurations go: the zooid nodes, each listed with its health at `/api/nodes`. */
            target: string;
            /** @description Whether the worker looped within the last 30 s. */
            worker_alive: boolean;
        };
        Reason: {
            /** @description Why, for the activity log (1–500 characters). */
            reason: string;
        };
        RelayList: {
            items: components["schemas"]["RelayView"][];
            /** Format: int64 */
            limit: number;
            /** Format: int64 */
            offset: number;
            /** Format: int64 */
            total: number;
        };
        /**
         * @description A role the owner appoints on their relay. The owner is always an admin.
         * @enum {string}
         */
        RelayRole: "admin" | "inviter";
        RelayStats: {
            /** @description Every plan, in display order. */
            by_plan: components["schemas"]["PlanCount"][];
            /** @description Every status, in lifecycle order, with its count (zero included). */
            by_status: components["schemas"]["RelayStatusCount"][];
            /** Format: int64 */
            total: number;
        };
        /**
         * @description Where a relay stands. Only [`crate::lifecycle::relay`] moves it.
         * @enum {string}
         */
        RelayStatus: "pending" | "active" | "suspended" | "inactive";
        RelayStatusCount: {
            /** Format: int64 */
            count: number;
            status: components["schemas"]["RelayStatus"];
        };
        RelayView: {
            /** Format: int64 */
            created_at: number;
            description: string;
            /** @description `<subdomain>.<RELAY_DOMAIN>` */
            host: string;
            icon: string;
            id: string;
            inactive_reason?: null | components["schemas"]["InactiveReason"];
            /**
             * Format: int64
             * @description Members (the owner included) when the relay's member list was last read; `null`
             *     before the first read. The plan's `max_members` is the limit.
             */
            member_count?: number | null;
            move?: null | components["schemas"]["MoveView"];
            name: string;
            /** @description The zooid node serving it. */
            node?: string | null;
            plan: string;
            /**
             * @description The owner's switches as stored. A feature the plan does not include (Blossom, LiveKit)
             *     stays off whatever its switch says, and comes back with a plan that includes it.
             */
            policies: components["schemas"]["Policies"];
            /** @description The relay's own Nostr identity (NIP-11 `self`). */
            pubkey: string;
            /** @description zooid's table prefix, fixed at creation. */
            schema: string;
            /** @description `pending` (not yet live), `active`, `suspended` (unpaid), or `inactive` (turned off). */
            status: components["schemas"]["RelayStatus"];
            subdomain: string;
            sync: components["schemas"]["SyncView"];
            /** @description Owner's pubkey (hex). */
            tenant: string;
            /** Format: int64 */
            updated_at: number;
            /** @description The WebSocket URL clients connect to. */
            url: string;
        };
        RemoveEvent: {
            /** @description The event's id (hex). */
            event: string;
            reason: string;
        };
        ReportList: {
            items: components["schemas"]["ReportView"][];
        };
        /** @description A report made on the relay (kind 1984). */
        ReportView: {
            content: string;
            /** Format: int64 */
            created_at: number;
            event?: string | null;
            id: string;
            /** @description `nudity`, `malware`, `profanity`, `illegal`, `spam`, `impersonation` or `other`. */
            kind?: string | null;
            pubkey?: string | null;
            reporter: string;
        };
        Revenue: {
            /**
             * Format: int64
             * @description Monthly recurring revenue: running relays at their plan's monthly price.
             */
            mrr_sats: number;
            /** @description MRR at the end of each of the last 8 weeks, oldest first; the last point is now. */
            trend: components["schemas"]["MrrPoint"][];
        };
        RoleView: {
            /** Format: int64 */
            added_at: number;
            added_by: string;
            pubkey: string;
            role: components["schemas"]["RelayRole"];
        };
        /** @description Who holds which role on a relay. */
        RolesView: {
            items: components["schemas"]["RoleView"][];
            /** @description The owner (hex), always an admin. */
            owner: string;
        };
        SetRole: {
            role: components["schemas"]["RelayRole"];
        };
        Stats: {
            /**
             * Format: int64
             * @description The instant the figures are for (unix seconds, billing clock).
             */
            generated_at: number;
            invoices: components["schemas"]["InvoiceStats"];
            messages: components["schemas"]["MessageStats"];
            relays: components["schemas"]["RelayStats"];
            revenue: components["schemas"]["Revenue"];
            sync: components["schemas"]["SyncStats"];
            tenants: components["schemas"]["TenantStats"];
        };
        /**
         * @description Whether zooid serves a relay's latest configuration (derived from its versions).
         * @enum {string}
         */
        SyncState: "synced" | "pending" | "failing";
        SyncStats: {
            /**
             * Format: int64
             * @description A change is on its way (no error yet).
             */
            behind: number;
            /**
             * Format: int64
             * @description Retrying after an error.
             */
            failing: number;
            /**
             * Format: int64
             * @description zooid serves the relay's latest configuration.
             */
            synced: number;
        };
        /** @description Whether zooid serves the latest configuration. */
        SyncView: {
            /** Format: int64 */
            attempts: number;
            last_error?: string | null;
            /** Format: int64 */
            next_attempt_at?: number | null;
            /** @description `synced`, `pending` (a change is on its way) or `failing` (retrying after an error). */
            state: components["schemas"]["SyncState"];
        };
        TenantList: {
            items: components["schemas"]["TenantView"][];
            /** Format: int64 */
            limit: number;
            /** Format: int64 */
            offset: number;
            /** Format: int64 */
            total: number;
        };
        TenantStats: {
            /** Format: int64 */
            active: number;
            /** @description Sign-ups in each of the last 8 weeks, oldest first; the last week ends now. */
            new_per_week: components["schemas"]["WeekCount"][];
            /** Format: int64 */
            total: number;
        };
        /**
         * @description Whether an account is in use.
         * @enum {string}
         */
        TenantStatus: "active" | "inactive";
        TenantView: {
            billing: components["schemas"]["BillingView"];
            /**
             * Format: int64
             * @description Start of the tenant's monthly billing period (unix seconds), once a paid relay exists.
             */
            billing_anchor?: number | null;
            /** Format: int64 */
            created_at: number;
            npub: string;
            pubkey: string;
            /** Format: int64 */
            relay_count: number;
            status: components["schemas"]["TenantStatus"];
            /** Format: int64 */
            updated_at: number;
        };
        TokenRequest: {
            /** @description The relay's id or subdomain. */
            relay: string;
            /** @description The room: its kind 30312 `d` tag, or its `30312:<pubkey>:<d>` address. */
            room: string;
        };
        TokenResponse: {
            /** @description Whether this participant may publish audio and video (hosts, moderators, speakers). */
            can_publish: boolean;
            /** Format: int64 */
            expires_at: number;
            /** @description The participant identity: `<hex pubkey>:<random suffix>`. */
            identity: string;
            /** @description The LiveKit room name (`caravel:<schema>:<hash>`). */
            room: string;
            /** @description The LiveKit access token (JWT). Valid for `LIVEKIT_TOKEN_TTL` seconds, one session. */
            token: string;
            /** @description The LiveKit server to connect to. */
            url: string;
            /** @description `blocked_user_present` when someone the caller mutes is in the room. */
            warning?: string | null;
        };
        /** @description Fields to change; those left out keep their value. */
        UpdateRelay: {
            description?: string | null;
            icon?: string | null;
            name?: string | null;
            plan?: string | null;
            subdomain?: string | null;
        };
        /** @description The watcher's view of one relay, for admins. */
        WatchState: {
            last_error?: string | null;
            /** @description Rooms with a live event, each with a LiveKit room. */
            live_rooms: number;
            relay: string;
            /**
             * Format: int64
             * @description When the state last changed (unix seconds).
             */
            since: number;
            /** @description `connecting`, `connected` (subscribed, stored rooms read) or `disconnected`. */
            state: string;
            url: string;
        };
        WeekCount: {
            /** Format: int64 */
            count: number;
            /** Format: int64 */
            end: number;
            /**
             * Format: int64
             * @description The week is `(start, end]`.
             */
            start: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listBackups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackupsView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getIdentity: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Identity"];
                };
            };
            /** @description NIP-98 authentication failed */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getInvite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitePreview"];
                };
            };
            /** @description `invite/not-found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    joinWithInvite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Joined"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/banned` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invite/not-found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/member-limit`, `invite/already-used`, `invite/relay-unavailable` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invite/expired`, `invite/revoked`, `invite/used-up` */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listInvoices: {
        parameters: {
            query?: {
                /** @description Admins: only this tenant's invoices (hex or npub). */
                tenant?: string;
                /** @description Only invoices in this status. */
                status?: components["schemas"]["InvoiceStatus"];
                /** @description Only invoices with an item for this relay. */
                relay?: string;
                /** @description How many items to return (1–200, default 50). */
                limit?: number;
                /** @description How many items to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoiceList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A tenant asked for another tenant's invoices */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getInvoice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoiceView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    checkInvoice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The invoice, paid if the wallet says so */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoiceView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The operator's wallet did not answer */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    markInvoicePaid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Reason"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoiceView"];
                };
            };
            /** @description `request/invalid-json`, `request/missing-body` or `request/unreadable-body` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    voidInvoice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Reason"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoiceView"];
                };
            };
            /** @description `request/invalid-json`, `request/missing-body` or `request/unreadable-body` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getLivekitStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LivekitStatus"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    issueLivekitToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description `request/invalid-json`, `request/missing-body` or `request/unreadable-body` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `livekit/plan-excludes-livekit`, `livekit/not-a-member`, `livekit/room-private`, `livekit/blocked` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `livekit/not-configured`, `relay/not-found`, `livekit/room-not-found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `livekit/relay-inactive`, `livekit/room-closed`, `livekit/room-ambiguous` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `livekit/room-expired`, `livekit/room-deleted` */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `livekit/rate-limited`, with `Retry-After` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `livekit/relay-unreachable`, `livekit/unreachable`, with `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    livekitWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/webhook+json": string;
            };
        };
        responses: {
            /** @description Accepted (or a duplicate) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `request/invalid-json`, `request/missing-body` or `request/unreadable-body` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `livekit/bad-signature` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `livekit/not-configured` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listMessages: {
        parameters: {
            query?: {
                /** @description Only messages to this pubkey (hex or npub). */
                recipient?: string;
                /** @description `pending` (not delivered yet), `sent`, or `failing` (pending after a failed attempt). */
                state?: components["schemas"]["MessageState"];
                /** @description How many items to return (1–200, default 50). */
                limit?: number;
                /** @description How many items to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The recipient is not a valid pubkey */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listNodes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeList"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    addNode: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewNode"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `node/exists`, or another node already is the local config directory */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `node/invalid`: a field is invalid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    changeNode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NodeChanges"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `node/not-found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Another node already is the local config directory */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `node/invalid`: a field is invalid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getOpenapi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listPlans: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanView"][];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getPlatform: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlatformView"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getProvisioning: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProvisioningStatus"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is down */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    listRelays: {
        parameters: {
            query?: {
                /** @description Admins: only this tenant's relays (hex or npub). Tenants always see only their own. */
                tenant?: string;
                /** @description Part of the name or subdomain. */
                q?: string;
                /** @description Only relays in this status. */
                status?: components["schemas"]["RelayStatus"];
                /** @description A plan id. */
                plan?: string;
                /** @description Only relays in this sync state. */
                sync?: components["schemas"]["SyncState"];
                /** @description `true`: only relays with more members than their plan allows (§17). */
                over_limit?: boolean;
                /** @description How many items to return (1–200, default 50). */
                limit?: number;
                /** @description How many items to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelayList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A tenant asked for another tenant's relays */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createRelay: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRelay"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelayView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The account is deactivated */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The subdomain is taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A field is invalid, or the plan is unknown or unavailable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/no-capacity`: no zooid node has room for a new relay */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    checkSubdomain: {
        parameters: {
            query: {
                /** @description The subdomain to check. */
                subdomain: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Availability"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listMyRelayRoles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HeldRoles"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getRelay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelayView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    updateRelay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateRelay"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelayView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The account is deactivated */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The new subdomain is taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listRelayBans: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Bans"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    removeRelayEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RemoveEvent"];
            };
        };
        responses: {
            /** @description Removed: deleted by the relay, and refused if sent again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Bans"];
                };
            };
            /** @description `request/invalid-json`, `request/missing-body` or `request/unreadable-body` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    allowRelayEvent: {
        parameters: {
            query: {
                /** @description Why (1–500 characters), for the log. */
                reason: string;
            };
            header?: never;
            path: {
                id: string;
                event: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No longer refused (the relay does not bring the deleted event back) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Bans"];
                };
            };
            /** @description `request/invalid-query` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    banRelayPubkey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BanPubkey"];
            };
        };
        responses: {
            /** @description Banned: removed from the members, and every event of theirs deleted by the relay */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Bans"];
                };
            };
            /** @description `request/invalid-json`, `request/missing-body` or `request/unreadable-body` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/owner-is-admin` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    unbanRelayPubkey: {
        parameters: {
            query: {
                /** @description Why (1–500 characters), for the log. */
                reason: string;
            };
            header?: never;
            path: {
                id: string;
                pubkey: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No longer banned (not a member again: add them or send an invite) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Bans"];
                };
            };
            /** @description `request/invalid-query` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deactivateRelay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelayView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    exportRelayEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every event the relay serves, one JSON object per line, newest first; streamed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": unknown;
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listRelayInvites: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteList"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createRelayInvite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewInvite"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteView"];
                };
            };
            /** @description `request/invalid-json`, `request/missing-body` or `request/unreadable-body` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invite/invalid-limits` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    revokeRelayInvite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                invite: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Withdrawn (again: unchanged) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/not-found`, `invite/not-found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listRelayMembers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MembersView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/refused` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/unreachable`, with `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    addRelayMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddMember"];
            };
        };
        responses: {
            /** @description Already a member */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MembersView"];
                };
            };
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MembersView"];
                };
            };
            /** @description `request/invalid-json`, `request/missing-body` or `request/unreadable-body` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/member-limit`: the plan's limit is reached */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    removeRelayMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description hex or npub */
                pubkey: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MembersView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/owner-is-admin`: the owner stays a member */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/invalid-pubkey` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    moveRelay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MoveRequest"];
            };
        };
        responses: {
            /** @description The move has started; `move` shows its step */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelayView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/not-found` or `node/not-found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/move-in-progress`, `relay/already-on-node`, or `node/not-accepting` (draining, down or full) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    setRelayPolicies: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Policies"];
            };
        };
        responses: {
            /** @description The switches as stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Policies"];
                };
            };
            /** @description `request/invalid-json`, `request/missing-body` or `request/unreadable-body` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/feature-not-in-plan`: a switch turned on for a feature the plan does not include */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    reactivateRelay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelayView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The account is deactivated */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Suspended for an unpaid invoice */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listRelayReports: {
        parameters: {
            query?: {
                /** @description Reports made before this time (the oldest `created_at` of the previous page). */
                until?: number;
                /** @description 1–200, default 50. */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportList"];
                };
            };
            /** @description `request/invalid-query` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listRelayRoles: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RolesView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    setRelayRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description hex or npub */
                pubkey: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetRole"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RolesView"];
                };
            };
            /** @description `request/invalid-json`, `request/missing-body` or `request/unreadable-body` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/owner-is-admin` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    removeRelayRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description hex or npub */
                pubkey: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RolesView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/not-found`, `relay/role-not-found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/owner-is-admin` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `relay/invalid-pubkey` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    syncRelay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelayView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getStats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Stats"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listTenants: {
        parameters: {
            query?: {
                /** @description An npub, part of a hex pubkey, or part of the name or subdomain of one of the tenant's relays. */
                q?: string;
                /** @description Only tenants in this status. */
                status?: components["schemas"]["TenantStatus"];
                /** @description How many items to return (1–200, default 50). */
                limit?: number;
                /** @description How many items to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    registerTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Already registered */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantView"];
                };
            };
            /** @description Registered */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Hex pubkey or npub */
                pubkey: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    activateTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Hex pubkey or npub */
                pubkey: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    setTenantBilling: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Hex pubkey or npub */
                pubkey: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BillingInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/too-large`: the body is over `HTTP_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/unsupported-media-type`: the body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deactivateTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Hex pubkey or npub */
                pubkey: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    tlsAllowed: {
        parameters: {
            query?: {
                /** @description The host a certificate is wanted for, e.g. `my-relay.relays.example.com`. */
                domain?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A host the platform serves: a certificate may be obtained */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AllowedHost"];
                };
            };
            /** @description `tls/domain-missing`: no `domain` given */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `tls/not-served`: no active relay, nor the dashboard, is at this host */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/timeout`: the request took too long to arrive or to answer */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `tls/rate-limited`: too many questions from this address; see `Retry-After` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request/headers-too-large`: the headers are over 64 KiB */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
