//! Hyperparameters declared once: [`hyperparameters!`] writes the struct, `Default`, the specs the
//! validator and the sliders read, and get/set by name; [`choice!`] writes a choice's enum and labels.

use serde::Deserializer;

/// How a hyperparameter may be set: its range, when it applies, and where its default comes from.
#[derive(Debug)]
pub struct ParamSpec {
    /// Field name, as in the scene file.
    pub name: &'static str,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// Whether it is a real number, a whole number, a switch or a choice.
    pub kind: ParamKind,
    /// Whether a change applies at once or when the agent is next reset.
    pub apply: Apply,
    /// What it does (tooltip).
    pub help: &'static str,
    /// Where the default comes from: a paper and its value, or "calibrated for this scene".
    pub source: &'static str,
}

/// When a changed hyperparameter takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apply {
    /// At the next step, keeping what the agent learned.
    Live,
    /// When the agent is rebuilt (reset): it fixes the agent's shape (network size, key space).
    OnReset,
}

/// What sort of value a hyperparameter takes, which decides its control in the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamKind {
    /// A real number (a slider).
    Real,
    /// A whole number (a slider that snaps).
    Integer,
    /// On or off (a checkbox).
    Switch,
    /// One of these labels (a drop-down); the value is the label's index.
    Choice(&'static [&'static str]),
}

impl ParamKind {
    /// Whether only whole numbers make sense.
    pub fn is_whole(self) -> bool {
        !matches!(self, ParamKind::Real)
    }
}

/// A type a hyperparameter field may have, seen by sliders and the validator as a number.
pub trait ParamValue: Copy {
    /// The control it gets.
    const KIND: ParamKind;
    /// Its value as a number (a choice's index, a switch's 0 or 1).
    fn to_f64(self) -> f64;
    /// The value for a number already clamped to the field's range.
    fn from_f64(value: f64) -> Self;
    /// How scene files write it, for the README's table.
    fn written(self) -> String;
    /// Reads it from a scene file.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Reads any hyperparameter field (serde's `deserialize_with` for every declared field).
pub fn read_param<'de, D: Deserializer<'de>, T: ParamValue>(
    deserializer: D,
) -> Result<T, D::Error> {
    T::read(deserializer)
}

impl ParamValue for f32 {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }
    const KIND: ParamKind = ParamKind::Real;
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn from_f64(value: f64) -> Self {
        value as f32
    }
    fn written(self) -> String {
        format!("{self:?}")
    }
}

impl ParamValue for u32 {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }
    const KIND: ParamKind = ParamKind::Integer;
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn from_f64(value: f64) -> Self {
        value as u32
    }
    fn written(self) -> String {
        self.to_string()
    }
}

impl ParamValue for bool {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_switch(deserializer)
    }
    const KIND: ParamKind = ParamKind::Switch;
    fn to_f64(self) -> f64 {
        f64::from(u8::from(self))
    }
    fn from_f64(value: f64) -> Self {
        value != 0.0
    }
    fn written(self) -> String {
        self.to_string()
    }
}

/// A hyperparameter struct that sliders and the validator can read and write by name.
pub trait Hyperparameters {
    /// Every tunable field, in the order the panel shows them.
    const SPECS: &'static [ParamSpec];
    /// The value of field `name` (NaN for an unknown name).
    fn get(&self, name: &str) -> f64;
    /// Sets field `name` (no range check; unknown names are ignored).
    fn set(&mut self, name: &str, value: f64);
    /// Field `name` as a scene file writes it (`0.1`, `true`, `Kernel`).
    fn written(&self, name: &str) -> String;
}

/// Every hyperparameter of `params` with its value.
pub(crate) fn values_of<H: Hyperparameters>(params: &H) -> Vec<(&'static ParamSpec, f64)> {
    H::SPECS.iter().map(|s| (s, params.get(s.name))).collect()
}

/// Sets `name` to `value`, clamped to its range and rounded for whole kinds.
pub(crate) fn set_clamped<H: Hyperparameters>(params: &mut H, name: &str, value: f64) {
    if let Some(spec) = H::SPECS.iter().find(|s| s.name == name) {
        let value = if value.is_finite() { value } else { spec.min };
        let value = value.clamp(spec.min, spec.max);
        params.set(
            name,
            if spec.kind.is_whole() {
                value.round()
            } else {
                value
            },
        );
    }
}

/// `requested`, except that every on-reset field keeps its value in `running`: what a running
/// agent can take without being rebuilt.
pub(crate) fn live_part<H: Hyperparameters + Clone>(running: &H, requested: &H) -> H {
    let mut live = requested.clone();
    for spec in H::SPECS.iter().filter(|s| s.apply == Apply::OnReset) {
        live.set(spec.name, running.get(spec.name));
    }
    live
}

/// The on-reset fields whose value in `requested` differs from `running`.
pub(crate) fn pending_of<H: Hyperparameters>(running: &H, requested: &H) -> Vec<&'static str> {
    H::SPECS
        .iter()
        .filter(|s| s.apply == Apply::OnReset && running.get(s.name) != requested.get(s.name))
        .map(|s| s.name)
        .collect()
}

/// Reads a switch written as `true`/`false` or, as older scenes do, `1`/`0`.
fn read_switch<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    struct SwitchVisitor;
    impl serde::de::Visitor<'_> for SwitchVisitor {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("true or false (or 1 or 0)")
        }
        fn visit_bool<E>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<bool, E> {
            match v {
                0 => Ok(false),
                1 => Ok(true),
                _ => Err(E::custom(format!(
                    "{v} is not a switch; expected true or false"
                ))),
            }
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<bool, E> {
            match u64::try_from(v) {
                Ok(v) => self.visit_u64(v),
                Err(_) => Err(E::custom(format!(
                    "{v} is not a switch; expected true or false"
                ))),
            }
        }
    }
    // Binary snapshots are not self-describing: a switch there is always a bool.
    if deserializer.is_human_readable() {
        deserializer.deserialize_any(SwitchVisitor)
    } else {
        deserializer.deserialize_bool(SwitchVisitor)
    }
}

/// Declares a hyperparameter struct once. Each field reads
/// `name: type = default, [min, max], Live | OnReset, help: "...", source: "...";` where the type
/// is `f32` (a real), `u32` (a whole number), `bool` (a switch) or a [`choice!`] enum, `help` is the
/// tooltip (and the field's doc) and `source` says where the default comes from. Extra `///` lines
/// before a field add to its doc. From that come the struct (serde with defaults, no unknown
/// fields, switches that also read `0`/`1`), `Default`, and [`Hyperparameters`].
macro_rules! hyperparameters {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field:ident: $ty:ty = $default:expr, [$min:expr, $max:expr], $apply:ident,
                    help: $help:literal, source: $source:literal;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct $name {
            $(
                #[doc = $help]
                #[doc = ""]
                $(#[$field_meta])*
                #[doc = ""]
                #[doc = concat!("Default: ", $source, ".")]
                #[serde(deserialize_with = "crate::brain::read_param")]
                pub $field: $ty,
            )*
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $($field: $default,)* }
            }
        }

        impl $crate::brain::Hyperparameters for $name {
            const SPECS: &'static [$crate::brain::ParamSpec] = &[$(
                $crate::brain::ParamSpec {
                    name: stringify!($field),
                    min: $min,
                    max: $max,
                    kind: <$ty as $crate::brain::ParamValue>::KIND,
                    apply: $crate::brain::Apply::$apply,
                    help: $help,
                    source: $source,
                },
            )*];

            fn get(&self, name: &str) -> f64 {
                match name {
                    $(stringify!($field) => $crate::brain::ParamValue::to_f64(self.$field),)*
                    _ => f64::NAN,
                }
            }

            fn set(&mut self, name: &str, value: f64) {
                match name {
                    $(stringify!($field) => {
                        self.$field = $crate::brain::ParamValue::from_f64(value);
                    })*
                    _ => {}
                }
            }

            fn written(&self, name: &str) -> String {
                match name {
                    $(stringify!($field) => $crate::brain::ParamValue::written(self.$field),)*
                    _ => String::new(),
                }
            }
        }
    };
}
pub(crate) use hyperparameters;

/// Declares a choice hyperparameter: an enum whose variants are written in scenes by name and
/// shown in the drop-down by label (`Variant => "label"`).
macro_rules! choice {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident => $label:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)*
        }

        impl $name {
            /// Every variant, in drop-down order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];
            /// The drop-down's labels, in the order of [`Self::ALL`].
            pub const LABELS: &'static [&'static str] = &[$($label,)*];

            /// The label shown in the window.
            pub fn label(self) -> &'static str {
                Self::LABELS[self as usize]
            }
        }

        impl Default for $name {
            /// The first variant.
            fn default() -> Self {
                Self::ALL[0]
            }
        }

        impl $crate::brain::ParamValue for $name {
            const KIND: $crate::brain::ParamKind = $crate::brain::ParamKind::Choice(Self::LABELS);
            fn to_f64(self) -> f64 {
                self as usize as f64
            }
            fn from_f64(value: f64) -> Self {
                Self::ALL[(value.max(0.0) as usize).min(Self::ALL.len() - 1)]
            }
            fn written(self) -> String {
                format!("{self:?}")
            }
            fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                serde::Deserialize::deserialize(deserializer)
            }
        }
    };
}
pub(crate) use choice;
