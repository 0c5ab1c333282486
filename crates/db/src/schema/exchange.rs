//! Listings and what comes of them: agreements, groups and memberships,
//! sessions, matching, mediation, the ledger, contributions, places.

diesel::table! {
    listings (id) {
        id -> BigInt,
        ap_id -> Text,
        author_id -> BigInt,
        group_id -> Nullable<BigInt>,
        kind -> Text,
        category -> Text,
        direction -> Nullable<Text>,
        title -> Text,
        description_source -> Nullable<Text>,
        description_html -> Text,
        tags -> Text,
        place_name -> Text,
        place_address -> Nullable<Text>,
        latitude -> Double,
        longitude -> Double,
        radius_km -> Double,
        available_from -> Nullable<BigInt>,
        available_until -> Nullable<BigInt>,
        quantity_amount -> Nullable<Double>,
        quantity_unit -> Nullable<Text>,
        terms_mode -> Text,
        terms_hours -> Nullable<Double>,
        terms_amount -> Nullable<Text>,
        terms_currency -> Nullable<Text>,
        visibility -> Text,
        status -> Text,
        local -> Bool,
        url -> Nullable<Text>,
        published_at -> BigInt,
        updated_at -> Nullable<BigInt>,
        expires_at -> BigInt,
        deleted_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    agreements (id) {
        id -> BigInt,
        ap_id -> Text,
        offer_ap_id -> Text,
        listing_id -> BigInt,
        initiator_id -> BigInt,
        responder_id -> BigInt,
        message -> Text,
        state -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    groups (actor_id) {
        actor_id -> BigInt,
        kind -> Text,
        place_name -> Text,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        website -> Nullable<Text>,
        join_policy -> Text,
        project_status -> Nullable<Text>,
        goals -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    memberships (id) {
        id -> BigInt,
        group_id -> BigInt,
        member_id -> BigInt,
        role -> Text,
        state -> Text,
        ap_id -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        mediator -> Bool,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        ap_id -> Text,
        organizer_id -> BigInt,
        group_id -> Nullable<BigInt>,
        title -> Text,
        description_html -> Text,
        starts_at -> BigInt,
        ends_at -> Nullable<BigInt>,
        timezone -> Nullable<Text>,
        place_name -> Text,
        place_address -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        capacity -> Nullable<Integer>,
        join_mode -> Text,
        local -> Bool,
        url -> Nullable<Text>,
        published_at -> BigInt,
        updated_at -> Nullable<BigInt>,
        deleted_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    participations (id) {
        id -> BigInt,
        session_id -> BigInt,
        participant_id -> BigInt,
        state -> Text,
        ap_id -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    listing_changes (seq) {
        seq -> BigInt,
        listing_id -> BigInt,
    }
}

diesel::table! {
    matches (id) {
        id -> BigInt,
        need_id -> BigInt,
        offer_id -> BigInt,
        score -> Double,
        reasons -> Text,
        need_state -> Text,
        offer_state -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        review -> Text,
        review_group_id -> Nullable<BigInt>,
        reviewed_by -> Nullable<BigInt>,
        released_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    mediated_listings (listing_id) {
        listing_id -> BigInt,
        group_uri -> Text,
    }
}

diesel::table! {
    pairing_approvals (need_uri, offer_uri) {
        need_uri -> Text,
        offer_uri -> Text,
        group_uri -> Text,
        post_id -> Nullable<BigInt>,
        approved_at -> BigInt,
    }
}

diesel::table! {
    ledger_accounts (id) {
        id -> BigInt,
        owner_id -> Nullable<BigInt>,
        peer_domain -> Nullable<Text>,
        lower_limit -> BigInt,
        upper_limit -> BigInt,
        balance -> BigInt,
        held_out -> BigInt,
        held_in -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    ledger_transfers (id) {
        id -> BigInt,
        from_account -> BigInt,
        to_account -> BigInt,
        minutes -> BigInt,
        reason -> Text,
        memo -> Text,
        agreement_uri -> Nullable<Text>,
        recorded_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    ledger_movements (id) {
        id -> BigInt,
        transfer_id -> BigInt,
        account_id -> BigInt,
        minutes -> BigInt,
        balance_after -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    agreement_confirmations (agreement_id, actor_id) {
        agreement_id -> BigInt,
        actor_id -> BigInt,
        minutes -> BigInt,
        activity_uri -> Nullable<Text>,
        held_from -> Nullable<BigInt>,
        held_to -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    contributions (id) {
        id -> BigInt,
        group_id -> BigInt,
        member_id -> BigInt,
        minutes -> BigInt,
        form -> Text,
        note -> Text,
        worked_on -> BigInt,
        state -> Text,
        decided_by -> Nullable<BigInt>,
        created_at -> BigInt,
        decided_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    places (source, source_id) {
        source -> Text,
        source_id -> Text,
        name -> Text,
        folded -> Text,
        postcodes -> Text,
        latitude -> Double,
        longitude -> Double,
        population -> BigInt,
        country -> Text,
        region -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    place_postcodes (postcode, source, source_id) {
        postcode -> Text,
        source -> Text,
        source_id -> Text,
    }
}
