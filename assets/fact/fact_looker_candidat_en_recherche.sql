-- Shaped for Looker Studio: flat, one row per application in the "looking for a company" stage,
-- French labels, links as full URLs (Looker Studio shows a URL field as a clickable link) and
-- calendar dates for its date dimensions.
with

opportunity as (
  select * from {{ ref('fact_odoo_crm_opportunite') }}
),

looking as (
  select * from opportunity
  where est_en_recherche
    and est_actif is true
    -- test records left in the CRM are never shown
    and est_test is not true
),

shaped as (
  select
    lead_id,
    case
      when prenom is null then nom
      when nom is null then prenom
      else {{ d.concat('prenom', "' '", 'nom') }}
    end as candidat,
    nom,
    prenom,
    telephone,
    email,
    region_candidat,
    ville_candidat,
    code_postal,
    formation,
    parcours,
    region_formation,
    qpv,
    rsa,
    rqth,
    france_travail,
    nationalite,
    contrat_alternance,
    mobilite,
    age,
    remarque_candidature,
    lien_cv,
    case when lien_cv is null then 'Non' else 'Oui' end as a_un_cv,
    lien_fiche_crm,
    {{ d.cast('date_creation', 'date') }} as date_candidature,
    {{ d.cast('date_modification', 'date') }} as date_derniere_modification
  from looking
)

select * from shaped
