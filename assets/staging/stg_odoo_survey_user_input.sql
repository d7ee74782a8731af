with

latest as (
  {{ latest_records(source('survey_user_input')) }}
),

selection_label as (
  select * from {{ ref('raw_odoo_selection_label') }}
  where model = 'survey.user_input'
),

renamed as (
  select
    id as reponse_sondage_id,
    {{ d.many2oneId('survey_id') }} as sondage_id,
    {{ d.many2oneName('survey_id') }} as sondage,
    {{ d.many2oneId('partner_id') }} as partenaire_id,
    {{ d.many2oneName('partner_id') }} as partenaire,
    {{ d.odooText('email') }} as email,
    {{ d.odooText('state') }} as etat_code,
    {{ d.odooDatetime('create_date') }} as date_creation,
    {{ d.odooDatetime('write_date') }} as date_modification
  from latest
),

labelled as (
  select
    renamed.reponse_sondage_id,
    renamed.sondage_id,
    renamed.sondage,
    renamed.partenaire_id,
    renamed.partenaire,
    renamed.email,
    coalesce(state_label.label, renamed.etat_code) as etat,
    renamed.etat_code,
    renamed.date_creation,
    renamed.date_modification
  from renamed
  left join selection_label as state_label
    on state_label.field = 'state'
    and state_label.key = renamed.etat_code
)

select * from labelled
