//! Distances on the Earth's surface, for "near a place" searches and, later,
//! matching.

const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in kilometres (haversine).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
}

/// A box (south, west, north, east) that holds every point within
/// `radius_km` of the centre: a cheap index-friendly first filter, refined
/// with [`distance_km`].
pub fn bounding_box(lat: f64, lon: f64, radius_km: f64) -> (f64, f64, f64, f64) {
    let dlat = (radius_km / EARTH_RADIUS_KM).to_degrees();
    let cos = lat.to_radians().cos().abs().max(0.01);
    let dlon = (dlat / cos).min(180.0);
    ((lat - dlat).max(-90.0), (lon - dlon).max(-180.0), (lat + dlat).min(90.0), (lon + dlon).min(180.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_right() {
        // Millau to Saint-Affrique, as the crow flies: about 21.6 km.
        let d = distance_km(44.0981, 3.0777, 43.9585, 2.8869);
        assert!((d - 21.6).abs() < 1.0, "{d}");
        assert!(distance_km(0.0, 0.0, 0.0, 0.0).abs() < 1e-9);
    }

    #[test]
    fn the_box_holds_the_circle() {
        let (s, w, n, e) = bounding_box(43.95, 2.88, 10.0);
        assert!(s < 43.95 && n > 43.95 && w < 2.88 && e > 2.88);
        assert!(distance_km(43.95, 2.88, n, 2.88) >= 9.99);
    }
}
