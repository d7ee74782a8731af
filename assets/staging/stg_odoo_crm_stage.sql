with

latest as (
  {{ latest_records(source('crm_stage')) }}
),

renamed as (
  select
    id as etape_id,
    {{ d.odooText('name') }} as nom,
    sequence as ordre,
    fold as est_repliee,
    {{ d.odooDatetime('write_date') }} as date_modification
  from latest
)

select * from renamed
