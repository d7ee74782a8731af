with

latest as (
  {{ latest_records(source('crm_lead')) }}
),

selection_label as (
  select * from {{ ref('raw_odoo_selection_label') }}
  where model = 'crm.lead'
),

renamed as (
  select
    id as lead_id,
    -- candidate --------------------------------------------------------------
    {{ d.odooText(lead.nom | ident) }} as nom,
    {{ d.odooText(lead.prenom | ident) }} as prenom,
    {{ d.odooText(lead.telephone | ident) }} as telephone,
    {{ d.odooText(lead.email | ident) }} as email,
    {{ d.odooText(lead.region_candidat | ident) }} as region_candidat_code,
    {{ d.odooText(lead.ville_candidat | ident) }} as ville_candidat,
    {{ d.odooText(lead.code_postal | ident) }} as code_postal,
    {{ d.htmlToText(d.odooText(lead.remarque_candidature | ident)) }} as remarque_candidature,
    {{ d.odooText(lead.remarque_candidature | ident) }} as remarque_candidature_html,
    -- training ---------------------------------------------------------------
    {{ d.odooText(lead.formation | ident) }} as formation,
    {{ d.odooText(lead.parcours | ident) }} as parcours_code,
    {{ d.odooText(lead.region_formation | ident) }} as region_formation,
    {{ d.many2oneId(lead.region_formation | ident) }} as region_formation_id,
    {{ d.odooText(lead.etape | ident) }} as etape,
    {{ d.many2oneId(lead.etape | ident) }} as etape_id,
    {{ d.many2oneId(lead.reponse_sondage | ident) }} as reponse_sondage_id,
    -- record -----------------------------------------------------------------
    active as est_actif,
    {{ d.odooDatetime('create_date') }} as date_creation,
    {{ d.odooDatetime('write_date') }} as date_modification
  from latest
),

labelled as (
  select
    renamed.lead_id,
    -- candidate --------------------------------------------------------------
    renamed.nom,
    renamed.prenom,
    renamed.telephone,
    renamed.email,
    -- a field mapped to a plain text field has no label: its value is shown as is
    coalesce(region_label.label, renamed.region_candidat_code) as region_candidat,
    renamed.region_candidat_code,
    renamed.ville_candidat,
    renamed.code_postal,
    renamed.remarque_candidature,
    renamed.remarque_candidature_html,
    -- training ---------------------------------------------------------------
    renamed.formation,
    coalesce(parcours_label.label, renamed.parcours_code) as parcours,
    renamed.parcours_code,
    renamed.region_formation,
    renamed.region_formation_id,
    renamed.etape,
    renamed.etape_id,
    renamed.reponse_sondage_id,
    -- record -----------------------------------------------------------------
    renamed.est_actif,
    renamed.date_creation,
    renamed.date_modification
  from renamed
  left join selection_label as region_label
    on region_label.field = {{ lead.region_candidat | literal }}
    and region_label.key = renamed.region_candidat_code
  left join selection_label as parcours_label
    on parcours_label.field = {{ lead.parcours | literal }}
    and parcours_label.key = renamed.parcours_code
)

select * from labelled
