{#- Comparison key of a place name: folded text with the abbreviations ST and STE spelt out. -#}
{% macro place_key(expr) -%}
trim(replace(replace({{ d.concat("' '", d.foldText(expr), "' '") }}, ' ST ', ' SAINT '), ' STE ', ' SAINTE '))
{%- endmacro %}

with

lead as (
  select * from {{ ref('stg_odoo_crm_lead') }}
),

commune as (
  select * from {{ ref('ref_commune') }}
),

region as (
  select * from {{ ref('ref_region') }}
),

region_alias as (
  select * from {{ ref('ref_region_alias') }}
),

stage as (
  select * from {{ ref('stg_odoo_crm_stage') }}
),

trimmed as (
  select
    lead.*,
    nullif(trim(telephone), '') as telephone_saisi,
    -- "(0)" is the trunk prefix some people write after +33; every other non-digit but "+" is layout
    {{ d.regexpReplace("replace(telephone, '(0)', '')", '[^0-9+]', '') }} as telephone_chiffres,
    nullif(lower(trim(email)), '') as email_saisi,
    nullif(trim(ville_candidat), '') as ville_saisie,
    nullif(trim(code_postal), '') as code_postal_saisi,
    {{ d.foldText('region_candidat') }} as region_cle
  from lead
),

keyed as (
  select
    *,
    coalesce({{ d.regexpMatches('ville_saisie', '^[0-9]{5}$') }}, false) as ville_est_code_postal,
    {{ place_key('ville_saisie') }} as ville_cle,
    case
      when {{ d.regexpMatches('code_postal_saisi', '^[0-9]{5}$') }} then code_postal_saisi
      -- a spreadsheet that read the postal code as a number dropped its leading zero
      when {{ d.regexpMatches('code_postal_saisi', '^[0-9]{4}$') }} then {{ d.concat("'0'", 'code_postal_saisi') }}
    end as code_postal_valide
  from trimmed
),

commune_keyed as (
  select
    code_commune,
    nom_commune,
    code_postal,
    code_region,
    population,
    {{ place_key('nom_commune') }} as nom_cle
  from commune
),

commune_candidate as (
  select
    keyed.lead_id,
    commune_keyed.code_commune,
    commune_keyed.nom_commune,
    commune_keyed.code_region,
    -- homonyms: the commune of the lead's postal code first, then the most populated
    row_number() over (
      partition by keyed.lead_id
      order by
        case when commune_keyed.code_postal = keyed.code_postal_valide then 0 else 1 end,
        commune_keyed.population desc nulls last,
        commune_keyed.code_commune
    ) as candidate_rank
  from keyed
  inner join commune_keyed
    on (not keyed.ville_est_code_postal and commune_keyed.nom_cle = keyed.ville_cle)
    or (keyed.ville_est_code_postal and commune_keyed.code_postal = keyed.ville_saisie)
),

located as (
  select
    keyed.*,
    commune_candidate.code_commune,
    commune_candidate.nom_commune,
    commune_candidate.code_region as code_region_commune
  from keyed
  left join commune_candidate
    on commune_candidate.lead_id = keyed.lead_id
    and commune_candidate.candidate_rank = 1
),

region_candidate as (
  select located.lead_id, region.code_region
  from located
  inner join region
    on {{ d.foldText('region.nom_region') }} = located.region_cle
  union all
  select located.lead_id, region_alias.code_region
  from located
  inner join region_alias
    on {{ d.foldText('region_alias.alias') }} = located.region_cle
),

region_choice as (
  select
    region_candidate.lead_id,
    count(distinct region_candidate.code_region) as region_count,
    min(region_candidate.code_region) as first_region,
    -- an alias covering several regions (GSO) is settled by the candidate's city
    max(case when region_candidate.code_region = located.code_region_commune then region_candidate.code_region end)
      as region_of_city
  from region_candidate
  inner join located
    on located.lead_id = region_candidate.lead_id
  group by region_candidate.lead_id
),

normalised as (
  select
    located.*,
    case
      when {{ d.regexpMatches('telephone_chiffres', '^[+]33[1-9][0-9]{8}$') }} then telephone_chiffres
      when {{ d.regexpMatches('telephone_chiffres', '^[+]330[1-9][0-9]{8}$') }} then {{ d.concat("'+33'", 'substr(telephone_chiffres, 5)') }}
      when {{ d.regexpMatches('telephone_chiffres', '^0033[1-9][0-9]{8}$') }} then {{ d.concat("'+33'", 'substr(telephone_chiffres, 5)') }}
      when {{ d.regexpMatches('telephone_chiffres', '^0[1-9][0-9]{8}$') }} then {{ d.concat("'+33'", 'substr(telephone_chiffres, 2)') }}
      -- nine digits: a French number whose leading 0 was lost (a spreadsheet read it as a number)
      when {{ d.regexpMatches('telephone_chiffres', '^[1-9][0-9]{8}$') }} then {{ d.concat("'+33'", 'telephone_chiffres') }}
      -- other countries: E.164 allows up to 15 digits after the country code's "+"
      when {{ d.regexpMatches('telephone_chiffres', '^[+][1-9][0-9]{7,14}$') }}
        and not {{ d.regexpMatches('telephone_chiffres', '^[+]33') }} then telephone_chiffres
      when {{ d.regexpMatches('telephone_chiffres', '^00[1-9][0-9]{7,14}$') }}
        and not {{ d.regexpMatches('telephone_chiffres', '^0033') }} then {{ d.concat("'+'", 'substr(telephone_chiffres, 3)') }}
    end as telephone_e164,
    case
      when {{ d.regexpMatches('email_saisi', '^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)*[.][a-z]{2,}$') }} then email_saisi
    end as email_valide,
    case
      when region_cle is null then code_region_commune
      when region_choice.region_count = 1 then region_choice.first_region
      else region_choice.region_of_city
    end as code_region
  from located
  left join region_choice
    on region_choice.lead_id = located.lead_id
),

flagged as (
  select
    normalised.lead_id,
    -- candidate --------------------------------------------------------------
    normalised.nom,
    normalised.prenom,
    normalised.telephone_e164 as telephone,
    normalised.telephone as telephone_brut,
    normalised.email_valide as email,
    normalised.email as email_brut,
    normalised.nom_commune as ville_candidat,
    normalised.ville_candidat as ville_candidat_brut,
    normalised.code_commune,
    coalesce(normalised.code_postal_valide, case when normalised.ville_est_code_postal then normalised.ville_saisie end)
      as code_postal,
    normalised.code_postal as code_postal_brut,
    region.nom_region as region_candidat,
    normalised.region_candidat as region_candidat_brut,
    normalised.code_region,
    normalised.remarque_candidature,
    -- training ---------------------------------------------------------------
    normalised.formation,
    normalised.parcours,
    normalised.region_formation,
    normalised.region_formation_id,
    normalised.etape,
    normalised.etape_id,
    normalised.reponse_sondage_id,
    -- quality flags: true when the typed value could not be normalised ---------
    normalised.telephone_saisi is not null and normalised.telephone_e164 is null as telephone_invalide,
    normalised.email_saisi is not null and normalised.email_valide is null as email_invalide,
    normalised.ville_est_code_postal,
    normalised.ville_saisie is not null and normalised.code_commune is null as ville_inconnue,
    normalised.region_cle is not null and normalised.code_region is null as region_inconnue,
    -- Odoo keeps the stage id of a lead whose stage was deleted
    normalised.etape_id is not null and stage.etape_id is null as etape_supprimee,
    -- test records left by the teams: a name or an opportunity title ending in "test" or "essai"
    coalesce(
      {{ d.regexpMatches('trim(normalised.nom)', '(^|[^\\pL])(test|essai)$', true) }}
      or {{ d.regexpMatches('trim(normalised.prenom)', '(^|[^\\pL])(test|essai)$', true) }}
      or {{ d.regexpMatches('trim(normalised.formation)', '(^|[^\\pL])(test|essai)$', true) }},
      false
    ) as est_test,
    -- record -----------------------------------------------------------------
    normalised.est_actif,
    normalised.date_creation,
    normalised.date_modification
  from normalised
  left join region
    on region.code_region = normalised.code_region
  left join stage
    on stage.etape_id = normalised.etape_id
)

select * from flagged
